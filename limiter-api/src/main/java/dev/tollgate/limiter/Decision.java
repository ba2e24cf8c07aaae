package dev.tollgate.limiter;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The answer of a limiter to one acquisition, and the state of the key after it.
 *
 * @param allowed         whether the permits were granted
 * @param limit           the limit the key is held to (for bucket algorithms, the burst)
 * @param remaining       permits the key could still take right now
 * @param count           permits counted against the key at decision time, this request included when allowed
 * @param resetEpochNanos when the key is back to its full allowance, in epoch nanoseconds
 * @param retryAfterNanos when denied, how long until the same request would pass; 0 when allowed
 * @param delayNanos      when allowed by a {@linkplain RateLimiter#reserve reservation}, how long the caller must
 *                        wait before its permits are due; 0 when they are due now, and when denied
 */
public record Decision(
        boolean allowed,
        long limit,
        long remaining,
        long count,
        long resetEpochNanos,
        long retryAfterNanos,
        long delayNanos) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public Decision {
        if (limit < 0 || remaining < 0 || count < 0 || retryAfterNanos < 0 || delayNanos < 0) {
            throw new IllegalArgumentException("negative field in decision: limit=" + limit + ", remaining=" + remaining
                    + ", count=" + count + ", retryAfterNanos=" + retryAfterNanos + ", delayNanos=" + delayNanos);
        }
        if (delayNanos > 0 && !allowed) {
            throw new IllegalArgumentException("a refusal has no delay; got delayNanos=" + delayNanos);
        }
    }

    /** A decision whose permits, if granted, are due now: every decision but a reservation's. */
    public Decision(
            boolean allowed, long limit, long remaining, long count, long resetEpochNanos, long retryAfterNanos) {
        this(allowed, limit, remaining, count, resetEpochNanos, retryAfterNanos, 0);
    }

    /** How long the caller must wait before its reserved permits are due; zero when they are due now. */
    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** When the key is back to its full allowance. */
    public Instant resetAt() {
        return Instant.ofEpochSecond(
                Math.floorDiv(resetEpochNanos, NANOS_PER_SECOND), Math.floorMod(resetEpochNanos, NANOS_PER_SECOND));
    }

    /** {@link #resetAt()} in whole epoch seconds, rounded up: the {@code X-RateLimit-Reset} header. */
    public long resetEpochSeconds() {
        return Math.floorDiv(resetEpochNanos + NANOS_PER_SECOND - 1, NANOS_PER_SECOND);
    }

    /** How long until the same request would pass; zero when allowed. */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    /**
     * The {@code Retry-After} header: whole seconds, rounded up, at least 1 when denied; 0 when allowed.
     */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        return Math.max(1, (retryAfterNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** The decision as sent on the event bus; {@code delayNanos} only when there is a delay. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("allowed", allowed)
                .put("limit", limit)
                .put("remaining", remaining)
                .put("count", count)
                .put("reset", resetEpochSeconds())
                .put("resetEpochNanos", resetEpochNanos)
                .put("retryAfter", retryAfterSeconds())
                .put("retryAfterNanos", retryAfterNanos);
        return delayNanos == 0 ? json : json.put("delayNanos", delayNanos);
    }

    /** Reads what {@link #toJson()} wrote. */
    public static Decision fromJson(JsonObject json) {
        return new Decision(
                json.getBoolean("allowed"),
                json.getLong("limit"),
                json.getLong("remaining"),
                json.getLong("count"),
                json.getLong("resetEpochNanos"),
                json.getLong("retryAfterNanos"),
                json.getLong("delayNanos", 0L));
    }
}
