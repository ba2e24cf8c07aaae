package dev.tollgate.limiter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads and writes the durations of limits and configuration.
 *
 * <p>Accepted: a number followed by a unit — {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h},
 * {@code 1d} — and sums of them ({@code 1h30m}), or ISO-8601 ({@code PT30S}, {@code P1D}). The
 * result is always positive; zero, negative, unit-less and overflowing values are rejected with an
 * {@link IllegalArgumentException} whose message quotes the input and says what to write instead.
 */
public final class Durations {

    private static final String EXPECTED = "expected a number with a unit (500ms, 30s, 1m, 2h, 1d) or ISO-8601 (PT30S)";

    private Durations() {}

    /** Parses {@code text}; see the class description for the accepted forms. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty; " + EXPECTED);
        }
        String trimmed = text.trim();
        Duration parsed = startsLikeIso(trimmed) ? parseIso(trimmed) : parseUnits(trimmed);
        if (parsed.isNegative() || parsed.isZero()) {
            throw invalid(trimmed, "a duration must be positive");
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

    private static boolean startsLikeIso(String text) {
        char first = Character.toUpperCase(text.charAt(0));
        char second = text.length() > 1 ? Character.toUpperCase(text.charAt(1)) : ' ';
        return first == 'P' || ((first == '-' || first == '+') && second == 'P');
    }

    private static Duration parseIso(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(text, "not a valid ISO-8601 duration; " + EXPECTED);
        } catch (ArithmeticException e) {
            throw invalid(text, "it is too large");
        }
    }

    private static Duration parseUnits(String text) {
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
                throw invalid(text, EXPECTED);
            }
            String digits = lower.substring(digitsStart, i);
            int unitStart = i;
            while (i < lower.length() && Character.isLetter(lower.charAt(i))) {
                i++;
            }
            String unit = lower.substring(unitStart, i);
            if (unit.isEmpty() && digits.chars().allMatch(c -> c == '0')) {
                throw invalid(text, "a duration must be positive");
            }
            if (unit.isEmpty()) {
                throw invalid(text, "'" + digits + "' has no unit; " + EXPECTED);
            }
            total = plus(total, digits, unit, text);
            sawPart = true;
        }
        if (!sawPart) {
            throw invalid(text, EXPECTED);
        }
        return negative ? total.negated() : total;
    }

    private static Duration plus(Duration total, String digits, String unit, String text) {
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
                default -> throw invalid(text, "unknown unit '" + unit + "'; " + EXPECTED);
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
