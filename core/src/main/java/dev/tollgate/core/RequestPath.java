package dev.tollgate.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one spelling of a request path that rules match, keys count and the upstream receives, so that a
 * client cannot dodge a rule by writing the same path another way:
 * <ol>
 *   <li>percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded, every other
 *       escape is kept with upper-case hex digits ({@code %61pi} is {@code api}, {@code %2e%2e} is
 *       {@code ..});</li>
 *   <li>{@code ;} path parameters are dropped from every segment ({@code /api;x/users} is
 *       {@code /api/users}, {@code /a/..;/b} is {@code /b});</li>
 *   <li>dot segments are removed as RFC 3986 §5.2.4 says, never above the root;</li>
 *   <li>repeated slashes are merged.</li>
 * </ol>
 * A path the upstream could read differently is refused: an encoded slash or backslash ({@code %2F},
 * {@code %5C}) unless {@code keepEncodedSlashes} (then it stays encoded, inside its segment), a raw
 * backslash, a control character (raw or encoded), or a broken escape. Case is kept.
 */
public final class RequestPath {

    private static final String HEX = "0123456789ABCDEF";

    private RequestPath() {}

    /** The normalized {@code rawPath} (the path as sent, without the query); empty when it is refused. */
    public static Optional<String> normalize(String rawPath, boolean keepEncodedSlashes) {
        if (rawPath == null || rawPath.isEmpty()) {
            return Optional.of("/");
        }
        if (rawPath.charAt(0) != '/') {
            // "*" of OPTIONS, or something no rule can name: left as it is
            return isPlain(rawPath) ? Optional.of(rawPath) : Optional.empty();
        }
        if (isNormal(rawPath)) {
            return Optional.of(rawPath);
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int value = i + 2 < rawPath.length() ? hex(rawPath.charAt(i + 1), rawPath.charAt(i + 2)) : -1;
                if (value < 0x20 || value == 0x7f) {
                    return Optional.empty();
                }
                if (isUnreserved(value)) {
                    decoded.append((char) value);
                } else if ((value == '/' || value == '\\') && !keepEncodedSlashes) {
                    return Optional.empty();
                } else {
                    decoded.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 0xf));
                }
                i += 2;
            } else if (c == '\\' || c < 0x20 || c == 0x7f) {
                return Optional.empty();
            } else {
                decoded.append(c);
            }
        }
        return Optional.of(removeDots(decoded));
    }

    private static String removeDots(CharSequence path) {
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int start = 1;
        while (start <= path.length()) {
            int end = start;
            while (end < path.length() && path.charAt(end) != '/') {
                end++;
            }
            String segment = path.subSequence(start, end).toString();
            int parameters = segment.indexOf(';');
            if (parameters >= 0) {
                segment = segment.substring(0, parameters);
            }
            boolean last = end >= path.length();
            switch (segment) {
                case "", "." -> trailingSlash = last;
                case ".." -> {
                    if (!segments.isEmpty()) {
                        segments.remove(segments.size() - 1);
                    }
                    trailingSlash = last;
                }
                default -> {
                    segments.add(segment);
                    trailingSlash = false;
                }
            }
            start = end + 1;
        }
        StringBuilder normal = new StringBuilder(path.length());
        for (String segment : segments) {
            normal.append('/').append(segment);
        }
        if (normal.length() == 0 || trailingSlash) {
            normal.append('/');
        }
        return normal.toString();
    }

    /** True when nothing in {@code path} needs the slow walk: no escape, parameter, dot segment or double slash. */
    private static boolean isNormal(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%'
                    || c == ';'
                    || c == '\\'
                    || c < 0x20
                    || c == 0x7f
                    || (previous == '/' && (c == '/' || c == '.'))) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isPlain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }

    private static int hex(char high, char low) {
        int h = hexDigit(high);
        int l = hexDigit(low);
        return h < 0 || l < 0 ? -1 : h << 4 | l;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
