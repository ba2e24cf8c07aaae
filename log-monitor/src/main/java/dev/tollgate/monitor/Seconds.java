package dev.tollgate.monitor;

import java.time.Duration;
import java.util.Locale;

/**
 * Reads the whole-second durations of the monitor's flags: a plain number of seconds ({@code 30}),
 * a number with a unit ({@code 500ms} only when whole seconds, {@code 30s}, {@code 2m}, {@code 1h},
 * {@code 1d}) or a sum of them ({@code 1m30s}).
 */
final class Seconds {

    private static final String EXPECTED = "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)";

    private Seconds() {}

    /** The duration {@code text} given to {@code --flag}. */
    static Duration parse(String flag, String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            throw invalid(flag, String.valueOf(text), "it is empty; " + EXPECTED);
        }
        long millis = 0;
        int i = 0;
        while (i < trimmed.length()) {
            int digitsStart = i;
            while (i < trimmed.length() && Character.isDigit(trimmed.charAt(i))) {
                i++;
            }
            if (i == digitsStart || i - digitsStart > 12) {
                throw invalid(flag, text, EXPECTED);
            }
            long amount = Long.parseLong(trimmed.substring(digitsStart, i));
            int unitStart = i;
            while (i < trimmed.length() && Character.isLetter(trimmed.charAt(i))) {
                i++;
            }
            String unit = trimmed.substring(unitStart, i);
            if (unit.isEmpty() && (digitsStart > 0 || i < trimmed.length())) {
                throw invalid(flag, text, "'" + amount + "' has no unit; " + EXPECTED);
            }
            long unitMillis = switch (unit) {
                case "", "s" -> 1000L;
                case "ms" -> 1L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                default -> throw invalid(flag, text, "unknown unit '" + unit + "'; " + EXPECTED);
            };
            try {
                millis = Math.addExact(millis, Math.multiplyExact(amount, unitMillis));
            } catch (ArithmeticException e) {
                throw invalid(flag, text, "it is too large");
            }
        }
        if (millis % 1000 != 0) {
            throw invalid(flag, text, "the monitor counts whole seconds");
        }
        return Duration.ofMillis(millis);
    }

    /** {@code duration} as the flags write it, in its largest whole unit: {@code 1h}, {@code 90m}, {@code 45s}. */
    static String text(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static MonitorException invalid(String flag, String text, String why) {
        return new MonitorException("--" + flag + ": invalid duration '" + text + "': " + why);
    }
}
