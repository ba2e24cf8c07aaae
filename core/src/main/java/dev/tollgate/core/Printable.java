package dev.tollgate.core;

import java.util.Objects;

/**
 * Text that came with traffic — keys, paths, hosts, methods, user agents — made safe to print on a
 * terminal or in a log line, so that a client cannot clear a screen, move the cursor, or forge a line
 * of output:
 * <ol>
 *   <li>a backslash is written twice: {@code \\};</li>
 *   <li>line feed, carriage return and tab are written {@code \n}, {@code \r}, {@code \t};</li>
 *   <li>every other C0 control ({@code U+0000..U+001F}), DEL ({@code U+007F}) and C1 control
 *       ({@code U+0080..U+009F}) is written {@code \xHH} (ESC is {@code \x1b});</li>
 *   <li>the line and paragraph separators {@code U+2028} and {@code U+2029}, the bidirectional
 *       controls ({@code U+061C}, {@code U+200E}, {@code U+200F}, {@code U+202A..U+202E},
 *       {@code U+2066..U+2069}) and an unpaired surrogate are written <code>&#92;uHHHH</code>;</li>
 *   <li>everything else is written as it is.</li>
 * </ol>
 * The result holds none of those characters raw. Because the backslash is escaped too, the escaping
 * can be undone and two different texts never print the same: ESC prints as {@code \x1b}, the four
 * characters {@code \x1b} print as {@code \\x1b}.
 */
public final class Printable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {}

    /** {@code text} with backslashes and unsafe characters escaped; {@code text} itself when it has none. */
    public static String escape(String text) {
        Objects.requireNonNull(text, "text");
        int first = 0;
        int length = text.length();
        while (first < length && !needsEscape(text, first)) {
            first++;
        }
        if (first == length) {
            return text;
        }
        StringBuilder out = new StringBuilder(length + 16).append(text, 0, first);
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c <= 0xff) {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append("\\u")
                                .append(HEX[c >> 12])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return c == '\\';
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return c == 0x061c
                || c == 0x200e
                || c == 0x200f
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028
                || c == 0x2029;
    }
}
