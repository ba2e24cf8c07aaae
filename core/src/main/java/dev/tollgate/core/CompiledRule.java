package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A rule with its key resolver and its limiter, as a {@link RuleSet} holds it. A rule that comes through a rule
 * update unchanged is compiled anew around the same limiter, so its counts carry over.
 */
record CompiledRule(Rule rule, KeyResolver resolver, RateLimiter limiter) {

    /** The request's key under this rule; a request without the identity the rule asks for counts by IP. */
    String keyFor(RequestInfo request, KeyResolver ip) {
        return resolver.resolve(request).or(() -> ip.resolve(request)).orElse("ip:unknown");
    }

    /**
     * Takes the rule's cost from {@code key}'s allowance. A limiter that throws or fails gives a result without a
     * decision, never a failed future; {@code health} hears of every decision, made or failed.
     */
    Future<RuleResult> decide(String key, LimiterHealth health) {
        Future<Decision> decision;
        try {
            decision = limiter.acquire(key, rule.limit().cost());
        } catch (RuntimeException e) {
            decision = Future.failedFuture(e);
        }
        if (decision.succeeded()) {
            health.answered();
            return Future.succeededFuture(new RuleResult(rule, key, Optional.of(decision.result())));
        }
        return decision.map(d -> {
                    health.answered();
                    return new RuleResult(rule, key, Optional.of(d));
                })
                .recover(failure -> {
                    health.failed(rule.name(), failure);
                    return Future.succeededFuture(new RuleResult(rule, key, Optional.empty()));
                });
    }
}
