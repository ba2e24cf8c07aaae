package dev.tollgate.plugin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads and writes the durations of limits, configuration and command-line flags.
 *
 * <p>{@link #parse} accepts a number followed by a unit — {@code 500ms}, {@code 30s}, {@code 1m},
 * {@code 2h}, {@code 1d} — and sums of them ({@code 1h30m}), or ISO-8601 ({@code PT30S}, {@code P1D}).
 * The result is always positive; zero, negative, unit-less and overflowing values are rejected with an
 * {@link IllegalArgumentException} whose message quotes the input and says what to write instead.
 * {@link #parseFlag} accepts the same and a bare number of seconds, and allows zero.
 */
public final class Durations {

    private static final String EXPECTED = "expected a number with a unit (500ms, 30s, 1m, 2h, 1d) or ISO-8601 (PT30S)";
    private static final String FLAG_EXPECTED = "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)";

    private Durations() {}

    /** Parses {@code text}; see the class description for the accepted forms. */
    public static Duration parse(String text) {
        String trimmed = nonBlank(text, EXPECTED);
        if (isDigits(trimmed) && trimmed.chars().allMatch(c -> c == '0')) {
            throw invalid(trimmed, "a duration must be positive");
        }
        Duration parsed = startsLikeIso(trimmed) ? parseIso(trimmed, EXPECTED) : parseUnits(trimmed, EXPECTED);
        if (parsed.isNegative() || parsed.isZero()) {
            throw invalid(trimmed, "a duration must be positive");
        }
        return parsed;
    }

    /**
     * Parses the value of a command-line flag: what {@link #parse} accepts, a bare number of seconds
     * ({@code 30} is {@code 30s}), and zero ({@code 0}, {@code 0s}). Negative values, a part of a sum
     * without a unit ({@code 1m30}) and overflowing values are rejected.
     */
    public static Duration parseFlag(String text) {
        String trimmed = nonBlank(text, FLAG_EXPECTED);
        Duration parsed;
        if (isDigits(trimmed)) {
            parsed = plus(Duration.ZERO, trimmed, "s", trimmed, FLAG_EXPECTED);
        } else {
            parsed = startsLikeIso(trimmed) ? parseIso(trimmed, FLAG_EXPECTED) : parseUnits(trimmed, FLAG_EXPECTED);
        }
        if (parsed.isNegative()) {
            throw invalid(trimmed, "a duration must not be negative");
        }
        return parsed;
    }

    /** Writes {@code duration} in the shortest unit form that {@link #parse} reads back exactly. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        if (nanos % 1_000_000L != 0) {
            return duration.toString();
        }
        long millis = nanos / 1_000_000L;
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        StringBuilder out = new StringBuilder();
        if (millis < 0) {
            out.append('-');
            millis = -millis;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (millis >= sizes[i]) {
                out.append(millis / sizes[i]).append(units[i]);
                millis %= sizes[i];
            }
        }
        return out.toString();
    }

    private static String nonBlank(String text, String expected) {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty; " + expected);
        }
        return text.trim();
    }

    private static boolean isDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean startsLikeIso(String text) {
        char first = Character.toUpperCase(text.charAt(0));
        char second = text.length() > 1 ? Character.toUpperCase(text.charAt(1)) : ' ';
        return first == 'P' || ((first == '-' || first == '+') && second == 'P');
    }

    private static Duration parseIso(String text, String expected) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(text, "not a valid ISO-8601 duration; " + expected);
        } catch (ArithmeticException e) {
            throw invalid(text, "it is too large");
        }
    }

    private static Duration parseUnits(String text, String expected) {
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0;
        boolean negative = false;
        if (lower.charAt(0) == '-' || lower.charAt(0) == '+') {
            negative = lower.charAt(0) == '-';
            i = 1;
        }
        Duration total = Duration.ZERO;
        boolean sawPart = false;
        while (i < lower.length()) {
            int digitsStart = i;
            while (i < lower.length() && Character.isDigit(lower.charAt(i))) {
                i++;
            }
            if (i == digitsStart) {
                throw invalid(text, expected);
            }
            String digits = lower.substring(digitsStart, i);
            int unitStart = i;
            while (i < lower.length() && Character.isLetter(lower.charAt(i))) {
                i++;
            }
            String unit = lower.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, "'" + digits + "' has no unit; " + expected);
            }
            total = plus(total, digits, unit, text, expected);
            sawPart = true;
        }
        if (!sawPart) {
            throw invalid(text, expected);
        }
        return negative ? total.negated() : total;
    }

    private static Duration plus(Duration total, String digits, String unit, String text, String expected) {
        long amount;
        try {
            amount = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalid(text, "it is too large");
        }
        try {
            Duration part = switch (unit) {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw invalid(text, "unknown unit '" + unit + "'; " + expected);
            };
            // every limiter works in nanoseconds: longer than ~292 years overflows
            return Duration.ofNanos(total.plus(part).toNanos());
        } catch (ArithmeticException e) {
            throw invalid(text, "it is too large");
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration '" + text + "': " + why);
    }
}
