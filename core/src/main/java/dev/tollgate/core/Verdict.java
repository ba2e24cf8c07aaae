package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import java.util.List;
import java.util.Optional;

/**
 * Tollgate's answer to one request.
 *
 * @param outcome what to do with the request
 * @param results what every matching rule said, highest priority first
 * @param headline the result the {@code X-RateLimit-*} headers report: the blocking rule, or the
 *                 enforcing rule with the least remaining
 * @param retryAfterSeconds when limited, the wait until every blocking rule allows, in whole seconds
 * @param event   the event to record; empty when the request was not checked
 */
public record Verdict(
        Outcome outcome,
        List<RuleResult> results,
        Optional<RuleResult> headline,
        long retryAfterSeconds,
        Optional<RateLimitEvent> event) {

    /** What happens to the request. */
    public enum Outcome {
        /** No rule covers the request, or an allow list names it: it passes, unlimited and unrecorded. */
        UNCHECKED(200),
        /** Every rule allows it. */
        ALLOWED(200),
        /** A rule blocks it: 429. */
        LIMITED(429),
        /** A deny list names it: 403. */
        DENIED(403),
        /** A limiter failed and {@code failOpen} is off: 503. */
        UNAVAILABLE(503);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        /** The HTTP status of a refused request; 200 for one that passes. */
        public int status() {
            return status;
        }

        /** Whether the request goes on to the application. */
        public boolean passes() {
            return this == UNCHECKED || this == ALLOWED;
        }
    }

    public Verdict {
        results = List.copyOf(results);
    }

    static Verdict unchecked() {
        return new Verdict(Outcome.UNCHECKED, List.of(), Optional.empty(), 0, Optional.empty());
    }
}
