package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.limiter.RateLimiter;

/**
 * A rule with its key resolver and its limiter, as a {@link RuleSet} holds it. A rule that comes through a rule
 * update unchanged is compiled anew around the same limiter, so its counts carry over.
 */
record CompiledRule(Rule rule, KeyResolver resolver, RateLimiter limiter) {

    /** The request's key under this rule; a request without the identity the rule asks for counts by IP. */
    String keyFor(RequestInfo request, KeyResolver ip) {
        return resolver.resolve(request).or(() -> ip.resolve(request)).orElse("ip:unknown");
    }
}
