package dev.tollgate.monitor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request read from an access log.
 *
 * @param lineNumber the line it was read from, counting from 1
 * @param host the client: an IP address or host name
 * @param epochSecond when the request was logged, in seconds since 1970-01-01T00:00:00Z
 * @param method the HTTP method
 * @param path the request target as logged, query included
 * @param section {@code /} plus the first segment of the path, query removed: {@code /api/user?x=1}
 *     gives {@code /api}, {@code /} gives {@code /}
 * @param status the HTTP status code
 * @param bytes the response size in bytes, 0 when not logged
 * @param user the authenticated user, when logged
 * @param referer the {@code Referer} header (Combined Log Format)
 * @param userAgent the {@code User-Agent} header (Combined Log Format)
 */
public record LogRecord(
        long lineNumber,
        String host,
        long epochSecond,
        String method,
        String path,
        String section,
        int status,
        long bytes,
        Optional<String> user,
        Optional<String> referer,
        Optional<String> userAgent) {

    public LogRecord {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(referer, "referer");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** The request's time. */
    public Instant time() {
        return Instant.ofEpochSecond(epochSecond);
    }

    /** The section of {@code path}: {@code /} plus its first segment, query and fragment removed. */
    public static String sectionOf(String path) {
        return Sections.of(path);
    }
}
