package dev.tollgate.app;

import java.time.Instant;

/**
 * One request as the access log writes it. Text is as the client sent it; {@link AccessLogFormat} escapes it.
 *
 * @param host the client address (the forwarded one when a trusted proxy sent the request)
 * @param time when the request arrived
 * @param method the request's method
 * @param uri the request's target as sent, query included
 * @param protocol {@code HTTP/1.1} and the like
 * @param status the status answered; 499 when the client went away before the answer ended
 * @param bytes body bytes sent
 * @param referer the {@code Referer} header, or {@code -}
 * @param userAgent the {@code User-Agent} header, or {@code -}
 * @param rule the rule the verdict names, or {@code -} when no rule checked the request
 * @param outcome {@code allowed}, {@code blocked}, {@code shadow_blocked}, {@code denied}, {@code unavailable}, or
 *                {@code -} when no rule checked the request
 * @param durationMillis from the request's arrival to the end of its answer
 */
record AccessLogEntry(
        String host,
        Instant time,
        String method,
        String uri,
        String protocol,
        int status,
        long bytes,
        String referer,
        String userAgent,
        String rule,
        String outcome,
        long durationMillis) {}
