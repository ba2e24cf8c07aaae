package dev.tollgate.core.spi;

import dev.tollgate.core.RequestInfo;
import java.util.Optional;

/**
 * Names the client a request counts against: {@code ip:203.0.113.5}, {@code user:42},
 * {@code header:x-api-key:abc}. Called on an event loop for every checked request: it must not block
 * and should not allocate more than the key itself.
 */
@FunctionalInterface
public interface KeyResolver {

    /** The key, or empty when the request carries no such identity (the rule then counts it by IP). */
    Optional<String> resolve(RequestInfo request);
}
