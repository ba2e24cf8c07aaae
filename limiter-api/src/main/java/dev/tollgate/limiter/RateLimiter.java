package dev.tollgate.limiter;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Takes permits for keys under one {@link LimitSpec}.
 *
 * <p>Every implementation:
 * <ol>
 *   <li>is safe to call from any thread and any event loop, and never blocks the caller;</li>
 *   <li>decides atomically per key: {@code n} concurrent acquisitions against a limit of
 *       {@code k < n} admit exactly {@code k};</li>
 *   <li>keeps keys independent of each other, however long: a key is held in its
 *       {@linkplain LimiterKeys#bounded(String) bounded} form, so a client's long key takes no more room
 *       than a short one;</li>
 *   <li>fails the returned future with {@link IllegalArgumentException} for an empty key, fewer than
 *       one permit, or more permits than a key can ever hold — {@link LimitSpec#burst()} for the bucket
 *       algorithms, {@link LimitSpec#limit()} for the window ones — since no wait could admit them;</li>
 *   <li>fails it with {@link LimiterException} when its backend cannot decide (a store is down).</li>
 * </ol>
 *
 * <p>A limiter that {@linkplain #reserves() reserves} — one that knows when a permit falls due, as the bucket
 * algorithms do — also takes permits ahead of time ({@link #reserve}), like nginx's {@code limit_req} without
 * {@code nodelay}, and then:
 * <ol>
 *   <li>admits a reservation exactly when its permits are due within {@code maxDelay}: the delay it answers
 *       ({@link Decision#delayNanos()}) is the time from the decision until they are due, the same time an
 *       {@link #acquire} would have been told to wait, and no later reservation is due before an earlier one of the
 *       same permits;</li>
 *   <li>refuses one due later, taking nothing, with the {@code retryAfter} an acquisition would see;</li>
 *   <li>answers an {@link #acquire} with a refusal while reserved permits are still to fall due, so that a
 *       caller who does not wait never passes one who does;</li>
 *   <li>decides reservations atomically per key, as acquisitions: {@code n} concurrent reservations admit
 *       exactly those that fit within {@code maxDelay};</li>
 *   <li>fails the future with {@link IllegalArgumentException} for a {@code maxDelay} that is negative or
 *       longer than {@link #MAX_DELAY}, besides the rules above.</li>
 * </ol>
 */
public interface RateLimiter {

    /** The longest {@code maxDelay} a {@link #reserve} may ask for. */
    Duration MAX_DELAY = Duration.ofHours(1);

    /** The limit this limiter enforces. */
    LimitSpec spec();

    /** Takes {@code permits} for {@code key} if the limit allows, and says what happened. */
    Future<Decision> acquire(String key, long permits);

    /** Takes {@link LimitSpec#cost()} permits for {@code key}. */
    default Future<Decision> acquire(String key) {
        return acquire(key, spec().cost());
    }

    /**
     * The state of {@code key} without taking anything: whether a request of {@link LimitSpec#cost()}
     * permits would pass now, and the remaining, count, reset and retry-after it would see.
     */
    Future<Decision> peek(String key);

    /**
     * Whether {@link #reserve} can admit permits ahead of time: {@code true} for a limiter that knows when each
     * permit falls due (the bucket algorithms); {@code false}, the default, for one that counts in windows or cannot
     * decide ahead (a leased share of a remote limit).
     */
    default boolean reserves() {
        return false;
    }

    /**
     * Takes {@code permits} for {@code key} now if they are due within {@code maxDelay}, and says how long the caller
     * must wait for them ({@link Decision#delayNanos()}, 0 when they are due now); a caller that then does not wait
     * gives them back with {@link #cancelReservation}. A {@code maxDelay} of zero is an {@link #acquire}. A limiter
     * that does not {@linkplain #reserves() reserve} fails the future with {@link UnsupportedOperationException}.
     */
    default Future<Decision> reserve(String key, long permits, Duration maxDelay) {
        return Future.failedFuture(new UnsupportedOperationException(this
                + " cannot take permits ahead of time; the bucket algorithms can (token-bucket, leaky-bucket, gcra)"));
    }

    /**
     * Gives back {@code permits} of {@code key} that a {@link #reserve} took with a delay, whose caller stopped
     * waiting before they were due, so that later callers may have them. Only while they are not yet due: a limiter
     * that cannot give them back exactly keeps them (the default), which is strict, never lenient.
     */
    default Future<Void> cancelReservation(String key, long permits) {
        return Future.succeededFuture();
    }

    /** Forgets everything about {@code key}: its next request sees a full allowance. */
    Future<Void> reset(String key);

    /** Releases what the limiter holds (connections, memory). */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
