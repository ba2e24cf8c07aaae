package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.NanoClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns what the rules said about a request into its {@link Verdict} and the event to record, and counts each rule's
 * decision in the metrics. An event says {@code allowed} exactly when the request is served, and {@code shadow} when it
 * is served although a shadow rule would have refused it (the event then names that rule), so that no report counts
 * a served request as blocked. Keeps no state of its own: any thread may use it.
 */
final class VerdictAssembler {

    private static final String USER_AGENT = "User-Agent";

    private final TollgateMetrics metrics;
    private final boolean failOpen;
    private final NanoClock clock;

    /**
     * @param failOpen whether a request some limiter could not decide is served (else it is refused with 503)
     * @param clock the clock events are stamped by
     */
    VerdictAssembler(TollgateMetrics metrics, boolean failOpen, NanoClock clock) {
        this.metrics = metrics;
        this.failOpen = failOpen;
        this.clock = clock;
    }

    /** The verdict on a request a deny list names, counted against {@code key}. */
    Verdict denied(RequestInfo request, String key) {
        metrics.decision("", "denied");
        RateLimitEvent event = event(request, key, "", false, 0, 0, false);
        return new Verdict(Verdict.Outcome.DENIED, List.of(), Optional.empty(), 0, Optional.of(event));
    }

    /**
     * The verdict on a request from {@code results}, one per rule that covers it, highest priority first: limited when
     * an enforced rule blocks; else unavailable when an enforced rule's limiter failed and {@code failOpen} is off; else
     * allowed. The event names the first enforced rule that blocks, else (unavailable) the first enforced rule whose
     * limiter failed, else the first shadow rule that would have blocked, else the first rule; the headline is the
     * first enforced rule that blocks, else the enforced rule with the least remaining.
     */
    Verdict verdict(RequestInfo request, List<RuleResult> results) {
        RuleResult blocking = null;
        RuleResult shadowBlocking = null;
        RuleResult failed = null;
        RuleResult tightest = null;
        long retryAfter = 0;
        for (RuleResult result : results) {
            String name = result.rule().name();
            if (result.failed()) {
                metrics.decision(name, "failed");
                if (failed == null && !result.rule().shadow()) {
                    failed = result;
                }
                continue;
            }
            Decision decision = result.decision().get();
            if (result.rule().shadow()) {
                metrics.decision(name, decision.allowed() ? "allowed" : "shadow_blocked");
                if (!decision.allowed() && shadowBlocking == null) {
                    shadowBlocking = result;
                }
                continue;
            }
            metrics.decision(name, decision.allowed() ? "allowed" : "blocked");
            if (!decision.allowed()) {
                if (blocking == null) {
                    blocking = result;
                }
                retryAfter = Math.max(retryAfter, decision.retryAfterSeconds());
            }
            if (tightest == null
                    || decision.remaining() < tightest.decision().get().remaining()) {
                tightest = result;
            }
        }
        Verdict.Outcome outcome;
        RuleResult named;
        boolean namedByShadow = false;
        if (blocking != null) {
            outcome = Verdict.Outcome.LIMITED;
            named = blocking;
        } else if (failed != null && !failOpen) {
            outcome = Verdict.Outcome.UNAVAILABLE;
            named = failed;
        } else if (shadowBlocking != null) {
            outcome = Verdict.Outcome.ALLOWED;
            named = shadowBlocking;
            namedByShadow = true;
        } else {
            outcome = Verdict.Outcome.ALLOWED;
            named = results.get(0);
        }
        Optional<RuleResult> headline = Optional.ofNullable(blocking != null ? blocking : tightest);
        // allowed: the request is served; shadow: it is, though the shadow rule the event names would have refused it
        RateLimitEvent event = event(
                request,
                named.key(),
                named.rule().name(),
                outcome.passes(),
                named.decision().map(Decision::count).orElse(0L),
                named.decision()
                        .map(Decision::limit)
                        .orElse(named.rule().limit().limit()),
                outcome.passes() && namedByShadow);
        return new Verdict(outcome, results, headline, retryAfter, Optional.of(event));
    }

    /**
     * The event for {@code result}, as recorded for a check from outside the request path ({@link LimitChecks}): as
     * for a request, {@code allowed} unless an enforced rule refused (a shadow rule never does), {@code shadow} when a
     * shadow rule would have; {@code clientIp} is the address of a described request, {@code caller} who asked.
     */
    RateLimitEvent eventFor(
            RuleResult result, String path, String method, Optional<String> clientIp, Optional<String> caller) {
        Decision decision = result.decision().orElseThrow();
        boolean shadowRule = result.rule().shadow();
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(now())
                .key(result.key())
                .ruleName(result.rule().name())
                .path(path)
                .method(method)
                .allowed(decision.allowed() || shadowRule)
                .count(decision.count())
                .limit(decision.limit())
                .shadow(shadowRule && !decision.allowed());
        clientIp.filter(ip -> !ip.isEmpty()).ifPresent(event::ipAddress);
        caller.ifPresent(event::userId);
        return event.build();
    }

    private RateLimitEvent event(
            RequestInfo request, String key, String rule, boolean allowed, long count, long limit, boolean shadow) {
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(now())
                .key(key)
                .ruleName(rule)
                .path(request.path())
                .method(request.method())
                .allowed(allowed)
                .count(count)
                .limit(limit)
                .shadow(shadow);
        if (!request.clientIp().isEmpty()) {
            event.ipAddress(request.clientIp());
        }
        request.userId().ifPresent(event::userId);
        userAgent(request).ifPresent(event::userAgent);
        return event.build();
    }

    /**
     * The request's {@code User-Agent}: the first when repeated, its first line, cut to a little over the event's
     * bound (the event cuts it to the bound); empty when absent or empty.
     */
    static Optional<String> userAgent(RequestInfo request) {
        String agent = request.headers().get(USER_AGENT);
        if (agent == null) {
            return Optional.empty();
        }
        int end = Math.min(agent.length(), RateLimitEvent.MAX_USER_AGENT + 1);
        for (int i = 0; i < end; i++) {
            char c = agent.charAt(i);
            if (c == '\r' || c == '\n') {
                end = i;
                break;
            }
        }
        return end == 0 ? Optional.empty() : Optional.of(agent.substring(0, end));
    }

    private Instant now() {
        return Instant.ofEpochMilli(Math.floorDiv(clock.epochNanos(), 1_000_000L));
    }
}
