package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import java.util.List;
import java.util.Objects;
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
 * @param slots   the slots of concurrency rules the request holds when it passes, to be {@linkplain #release()
 *                released} once its response has ended; none when it is refused (they are given back at once)
 * @param waiting when delaying rules admitted the request with a delay, how long it waits before it goes on and the
 *                queue places it holds meanwhile; {@link Wait#NONE} when it goes on at once or is refused (its
 *                reservations are then given back at once)
 */
public record Verdict(
        Outcome outcome,
        List<RuleResult> results,
        Optional<RuleResult> headline,
        long retryAfterSeconds,
        Optional<RateLimitEvent> event,
        HeldSlots slots,
        Wait waiting) {

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
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(waiting, "waiting");
    }

    /** A verdict that makes no request wait. */
    public Verdict(
            Outcome outcome,
            List<RuleResult> results,
            Optional<RuleResult> headline,
            long retryAfterSeconds,
            Optional<RateLimitEvent> event,
            HeldSlots slots) {
        this(outcome, results, headline, retryAfterSeconds, event, slots, Wait.NONE);
    }

    /** A verdict that holds no slot. */
    public Verdict(
            Outcome outcome,
            List<RuleResult> results,
            Optional<RuleResult> headline,
            long retryAfterSeconds,
            Optional<RateLimitEvent> event) {
        this(outcome, results, headline, retryAfterSeconds, event, HeldSlots.NONE, Wait.NONE);
    }

    /** This verdict holding {@code slots}. */
    Verdict withSlots(HeldSlots slots) {
        return new Verdict(outcome, results, headline, retryAfterSeconds, event, slots, waiting);
    }

    /** This verdict making the request wait {@code waiting}. */
    Verdict withWait(Wait waiting) {
        return new Verdict(outcome, results, headline, retryAfterSeconds, event, slots, waiting);
    }

    /**
     * The HTTP status of a refused request: the blocking rule's {@link Rule#status()} when limited (429, or 503 for a
     * concurrency rule that says so), else the outcome's; 200 for one that passes.
     */
    public int status() {
        if (outcome == Outcome.LIMITED) {
            return headline.map(result -> result.rule().status()).orElse(outcome.status());
        }
        return outcome.status();
    }

    /**
     * Gives back the concurrency slots the request holds: whoever serves a request that {@link Tollgate#check} admitted
     * calls it once the response has ended (the {@link RateLimitHandler} does). Harmless to call again.
     */
    public void release() {
        slots.release();
    }

    /**
     * Gives back the slots as {@link #release()} does, telling an adaptive rule how the request ended: the status of
     * its response, or {@link HeldSlots#NO_RESPONSE}; a 5xx or none counts against the upstream.
     */
    public void release(int status) {
        slots.release(status);
    }

    static Verdict unchecked() {
        return new Verdict(Outcome.UNCHECKED, List.of(), Optional.empty(), 0, Optional.empty());
    }
}
