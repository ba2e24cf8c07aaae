package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * An in-process {@link RateLimiter}: state in this JVM, decisions on the caller's thread. Besides the
 * asynchronous API it answers synchronously ({@link #tryAcquire}), for callers that are not on an
 * event loop or want to avoid the future.
 *
 * <p>Decisions for different keys never wait for each other. Keys are held in their
 * {@linkplain LimiterKeys#bounded(String) bounded} form, so none takes more than 255 bytes. The number of
 * keys held is bounded by {@link LimiterOptions#maxKeys()}, the bytes held by the
 * {@link LimiterOptions#memoryBudget()} shared with other limiters, if any, and a key untouched for
 * {@link LimiterOptions#idleExpiry()} is forgotten. Past a bound the least recently used keys are
 * forgotten, which makes the limiter more lenient to them, never stricter. Past the memory budget, the
 * limiter forgets its own keys only while it holds more than its fair share of the budget (the budget
 * divided by the limiters sharing it); otherwise the limiter holding the most forgets some of its keys,
 * so a flood of distinct keys on one limiter never shrinks another below its share.
 *
 * <p>A limiter given a budget registers with it when made; {@link #close()} unregisters it and gives its
 * bytes back. The budget holds it weakly, so one never closed stops counting once collected, but only
 * closing it gives its bytes back.
 */
public final class LocalRateLimiter implements RateLimiter {

    private final LimitSpec spec;
    private final KeyTable<?> table;

    <S extends KeyState> LocalRateLimiter(LimitSpec spec, LimiterOptions options, Meter<S> meter, HeldBytes held) {
        this.spec = spec;
        this.table = new KeyTable<>(
                meter,
                held,
                options.clock(),
                options.maxKeys(),
                options.idleExpiry().toNanos(),
                spec.windowNanos());
        table.register();
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    /**
     * Takes {@code permits} for {@code key} if the limit allows.
     *
     * @throws IllegalArgumentException for an empty key, fewer than one permit, or more than a key can hold
     */
    public Decision tryAcquire(String key, long permits) {
        check(key, permits);
        return table.decide(LimiterKeys.bounded(key), permits, true);
    }

    /**
     * Like {@link #reserve}, synchronously.
     *
     * @throws IllegalArgumentException as {@link #tryAcquire} does, and for a {@code maxDelay} that is negative or
     *     past {@link #MAX_DELAY}
     * @throws UnsupportedOperationException when the algorithm cannot take permits ahead of time
     */
    public Decision tryReserve(String key, long permits, Duration maxDelay) {
        check(key, permits);
        if (maxDelay.isNegative() || maxDelay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(
                    "maxDelay must be between 0 and " + MAX_DELAY.toMinutes() + " minutes, got " + maxDelay);
        }
        if (!reserves()) {
            throw new UnsupportedOperationException(spec.algorithm()
                    + " counts in windows and cannot take permits ahead of time; the bucket algorithms can"
                    + " (token-bucket, leaky-bucket, gcra)");
        }
        return table.reserve(LimiterKeys.bounded(key), permits, maxDelay.toNanos());
    }

    @Override
    public boolean reserves() {
        return table.meter().reserves();
    }

    @Override
    public Future<Decision> reserve(String key, long permits, Duration maxDelay) {
        try {
            return Future.succeededFuture(tryReserve(key, permits, maxDelay));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return Future.failedFuture(e);
        }
    }

    /** Gives the permits back at once, while the key is held: the level drops by them, which is exact. */
    @Override
    public Future<Void> cancelReservation(String key, long permits) {
        try {
            check(key, permits);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        if (reserves()) {
            table.giveBack(LimiterKeys.bounded(key), permits);
        }
        return Future.succeededFuture();
    }

    /** Like {@link #peek(String)}, synchronously. */
    public Decision peekNow(String key) {
        check(key, spec.cost());
        return table.decide(LimiterKeys.bounded(key), spec.cost(), false);
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return LimiterArguments.settle(() -> tryAcquire(key, permits));
    }

    @Override
    public Future<Decision> peek(String key) {
        try {
            return Future.succeededFuture(peekNow(key));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        table.forget(LimiterKeys.bounded(key));
        return Future.succeededFuture();
    }

    /** How many keys this limiter holds state for. */
    public long trackedKeys() {
        return table.size();
    }

    /**
     * The heap bytes this limiter's per-key state takes, by the estimate it charges to its
     * {@linkplain LimiterOptions#memoryBudget() budget}: for each key, the map's entry, the key and the
     * algorithm's state (about 130 bytes for a key like {@code ip:203.0.113.5}; docs/BENCHMARKS.md has
     * the measurements). What the limiter holds besides, a few hundred bytes, is not counted.
     */
    public long bytesHeld() {
        return table.bytesHeld();
    }

    /**
     * Forgets every key, giving their bytes back to the budget, and no longer counts among the limiters
     * sharing it. A limiter that is used again afterwards starts afresh, and counts again from its next
     * key.
     */
    @Override
    public Future<Void> close() {
        table.close();
        return Future.succeededFuture();
    }

    KeyTable<?> table() {
        return table;
    }

    /** Drops every key whose state is spent or idle past the expiry; returns how many. */
    public long evictExpired() {
        return table.sweepAll();
    }

    private void check(String key, long permits) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        Meter<?> meter = table.meter();
        if (permits > meter.capacity()) {
            throw new IllegalArgumentException("permits " + permits + " is more than the " + meter.capacityName() + " "
                    + meter.capacity() + " of " + spec + ": no wait could admit it");
        }
    }

    @Override
    public String toString() {
        return "LocalRateLimiter[" + spec + "]";
    }
}
