package dev.tollgate.core;

import io.vertx.core.MultiMap;
import java.util.Objects;
import java.util.Optional;

/**
 * What rules and key resolvers see of a request, whether it came through HTTP, the event bus or a
 * replayed log line.
 *
 * @param method   the HTTP method, upper case
 * @param path     the path without the query string
 * @param clientIp the client's address after trusted proxies were stripped; empty when unknown
 * @param headers  request headers, case-insensitive
 * @param query    query parameters
 * @param userId   the authenticated user, if any
 */
public record RequestInfo(
        String method, String path, String clientIp, MultiMap headers, MultiMap query, Optional<String> userId) {

    public RequestInfo {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(userId, "userId");
    }

    /** A request with no headers, no query and no user. */
    public static RequestInfo of(String method, String path, String clientIp) {
        return new RequestInfo(
                method,
                path,
                clientIp,
                MultiMap.caseInsensitiveMultiMap(),
                MultiMap.caseInsensitiveMultiMap(),
                Optional.empty());
    }

    /** The same request with another user. */
    public RequestInfo withUserId(String userId) {
        return new RequestInfo(method, path, clientIp, headers, query, Optional.ofNullable(userId));
    }
}
