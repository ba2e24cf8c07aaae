package dev.tollgate.plugin;

import java.util.Locale;

/**
 * Sizes in configuration: {@code 1048576}, {@code 512kb}, {@code 64mb}, {@code 2gb} (powers of 1024; {@code k},
 * {@code m} and {@code g} too, as in {@code -Xmx}; in any case), or {@code 25%} of the heap.
 */
public final class Sizes {

    private Sizes() {}

    /**
     * The bytes {@code text} means; a share of the heap is of {@link Runtime#maxMemory()}.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static long bytes(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (value.endsWith("%")) {
                double share = Double.parseDouble(
                        value.substring(0, value.length() - 1).trim());
                if (share > 0 && share <= 100) {
                    return Math.max(1, (long) (Runtime.getRuntime().maxMemory() * share / 100));
                }
            } else {
                long unit = 1;
                String digits = value;
                for (String[] suffix : new String[][] {
                    {"gb", "1073741824"},
                    {"mb", "1048576"},
                    {"kb", "1024"},
                    {"b", "1"},
                    {"g", "1073741824"},
                    {"m", "1048576"},
                    {"k", "1024"}
                }) {
                    if (value.endsWith(suffix[0])) {
                        unit = Long.parseLong(suffix[1]);
                        digits = value.substring(0, value.length() - suffix[0].length())
                                .trim();
                        break;
                    }
                }
                long number = Long.parseLong(digits);
                if (number > 0 && number <= Long.MAX_VALUE / unit) {
                    return number * unit;
                }
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(
                "expected a size such as 64mb, 1gb or 25% (of the heap), got '" + text + "'");
    }
}
