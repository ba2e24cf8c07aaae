package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule with its key resolver, its limiter, for a rule that delays requests over its rate the queue they wait in,
 * and for a rule that holds slots the count of those its requests hold on this node. A rule that comes through a rule
 * update unchanged is compiled anew around the same limiter, queue and count, so its counts, its waiting requests and
 * its slots in flight carry over.
 */
record CompiledRule(Rule rule, KeyResolver resolver, RateLimiter limiter, WaitQueue queue, AtomicLong slotsHeld) {

    /** A rule that refuses what is over its limit: it has no queue. */
    CompiledRule(Rule rule, KeyResolver resolver, RateLimiter limiter) {
        this(rule, resolver, limiter, WaitQueue.NONE, new AtomicLong());
    }

    /** The request's key under this rule; a request without the identity the rule asks for counts by IP. */
    String keyFor(RequestInfo request, KeyResolver ip) {
        return resolver.resolve(request).or(() -> ip.resolve(request)).orElse("ip:unknown");
    }

    /**
     * The permits {@code request} takes under this rule: the rule's cost, or for a quota rule with a cost header the
     * whole number that header holds, from 0 to the rule's limit.
     *
     * @throws RequestCostException for a cost header that holds anything else, or is given more than once
     */
    long permitsFor(RequestInfo request) {
        if (rule.costHeader().isEmpty()) {
            return rule.limit().cost();
        }
        String header = rule.costHeader().get();
        List<String> values = request.headers().getAll(header);
        if (values.isEmpty()) {
            return rule.limit().cost();
        }
        long limit = rule.limit().limit();
        String expected = header + " must be given once, as a whole number from 0 to " + limit + " (the quota of the"
                + " rule '" + rule.name() + "'); leave it out for a cost of "
                + rule.limit().cost();
        if (values.size() > 1) {
            throw new RequestCostException(expected + "; it was given " + values.size() + " times");
        }
        String value = values.get(0).trim();
        if (!value.matches("[0-9]{1,10}") || Long.parseLong(value) > limit) {
            throw new RequestCostException(expected);
        }
        return Long.parseLong(value);
    }

    /** Takes the rule's cost from {@code key}'s allowance, as {@link #decide(String, long, LimiterHealth)} does. */
    Future<RuleResult> decide(String key, LimiterHealth health) {
        return decide(key, rule.limit().cost(), health);
    }

    /**
     * Takes {@code permits} from {@code key}'s allowance; 0 takes nothing and is allowed, with the key's state as the
     * decision. A limiter that throws or fails gives a result without a decision, never a failed future;
     * {@code health} hears of every decision, made or failed.
     */
    Future<RuleResult> decide(String key, long permits, LimiterHealth health) {
        if (rule.onExceed().delays()) {
            return reserve(key, health);
        }
        Future<Decision> decision;
        try {
            decision = permits == 0
                    ? limiter.peek(key)
                            .map(d -> new Decision(true, d.limit(), d.remaining(), d.count(), d.resetEpochNanos(), 0))
                    : limiter.acquire(key, permits);
        } catch (RuntimeException e) {
            decision = Future.failedFuture(e);
        }
        return result(key, decision, health);
    }

    /**
     * Takes the rule's cost from {@code key}'s allowance, due within the rule's {@code maxDelay}, holding a place in the
     * queue while the request would wait. With the queue full the rule refuses what is over its rate, as a refusing
     * rule does. A shadow rule reserves as it would if it were enforced, but its requests never wait, so they take no
     * place. A result with a delay holds its place, for the {@link Wait} to give back; any other gives it back at once.
     */
    private Future<RuleResult> reserve(String key, LimiterHealth health) {
        boolean placed = !rule.shadow() && queue.enter();
        Future<Decision> decision;
        try {
            decision = placed || rule.shadow()
                    ? limiter.reserve(key, rule.limit().cost(), rule.onExceed().maxDelay())
                    : limiter.acquire(key, rule.limit().cost());
        } catch (RuntimeException e) {
            decision = Future.failedFuture(e);
        }
        if (placed) {
            decision = decision.andThen(decided -> {
                if (decided.failed() || decided.result().delayNanos() == 0) {
                    queue.leave();
                }
            });
        }
        return result(key, decision, health);
    }

    /** Whether {@code result}, a result of this rule, holds a place in its queue: a delay for a request that waits. */
    boolean holdsPlace(RuleResult result) {
        return rule.onExceed().delays()
                && !rule.shadow()
                && result.decision().map(d -> d.delayNanos() > 0).orElse(false);
    }

    private Future<RuleResult> result(String key, Future<Decision> decision, LimiterHealth health) {
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
