package dev.tollgate.limiter;

import io.vertx.core.Future;

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
 */
public interface RateLimiter {

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

    /** Forgets everything about {@code key}: its next request sees a full allowance. */
    Future<Void> reset(String key);

    /** Releases what the limiter holds (connections, memory). */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
