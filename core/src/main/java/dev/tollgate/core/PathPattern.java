package dev.tollgate.core;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which request paths a rule covers: an exact path ({@code /api/login}), a prefix ({@code /api/*},
 * which covers {@code /api} and everything under {@code /api/}), everything ({@code /*} or
 * {@code *}), or a regular expression over the whole path ({@code regex:^/v[0-9]+/orders$}).
 */
public final class PathPattern {

    private enum Kind {
        EXACT,
        PREFIX,
        REGEX
    }

    private final String text;
    private final Kind kind;
    private final String value;
    private final Pattern regex;
    private final boolean ignoreCase;

    private PathPattern(String text, Kind kind, String value, Pattern regex, boolean ignoreCase) {
        this.text = text;
        this.kind = kind;
        this.value = value;
        this.regex = regex;
        this.ignoreCase = ignoreCase;
    }

    /** {@link #parse(String, boolean)}, case-sensitive. */
    public static PathPattern parse(String text) {
        return parse(text, false);
    }

    /**
     * Reads a pattern; with {@code ignoreCase} it matches paths whatever their case, for an upstream that
     * reads {@code /API/x} as {@code /api/x}.
     *
     * @throws IllegalArgumentException for an empty pattern, a path not starting with {@code /}, or a bad regex
     */
    public static PathPattern parse(String text, boolean ignoreCase) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim();
        if (trimmed.startsWith("regex:")) {
            String expression = trimmed.substring("regex:".length());
            if (expression.isEmpty()) {
                throw new IllegalArgumentException(
                        "'regex:' needs an expression after it, as in regex:^/v[0-9]+/orders$");
            }
            try {
                return new PathPattern(
                        trimmed,
                        Kind.REGEX,
                        expression,
                        Pattern.compile(expression, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0),
                        ignoreCase);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "invalid regular expression '" + expression + "': " + e.getDescription());
            }
        }
        if (trimmed.equals("*") || trimmed.equals("/*")) {
            return new PathPattern(trimmed, Kind.PREFIX, "", null, ignoreCase);
        }
        if (!trimmed.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/' (or be regex:…), got '" + text + "'");
        }
        if (trimmed.endsWith("/*")) {
            return new PathPattern(trimmed, Kind.PREFIX, trimmed.substring(0, trimmed.length() - 2), null, ignoreCase);
        }
        if (trimmed.contains("*")) {
            throw new IllegalArgumentException(
                    "'*' is only allowed at the end, as in /api/*; use regex: for more, got '" + text + "'");
        }
        return new PathPattern(trimmed, Kind.EXACT, trimmed, null, ignoreCase);
    }

    /** Whether the pattern ignores case. */
    public boolean ignoreCase() {
        return ignoreCase;
    }

    /** Whether {@code path} (normalized, without its query string) is covered. */
    public boolean matches(String path) {
        return switch (kind) {
            case EXACT -> ignoreCase ? value.equalsIgnoreCase(path) : value.equals(path);
            case PREFIX ->
                path.regionMatches(ignoreCase, 0, value, 0, value.length())
                        && (path.length() == value.length() || path.charAt(value.length()) == '/' || value.isEmpty());
            case REGEX -> regex.matcher(path).matches();
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern that && text.equals(that.text) && ignoreCase == that.ignoreCase;
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + Boolean.hashCode(ignoreCase);
    }

    @Override
    public String toString() {
        return text;
    }
}
