package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import io.vertx.core.Future;

/**
 * An in-process {@link ConcurrencyLimiter}: the slots each key holds, counted in this JVM, decided on the caller's
 * thread. A key's entry is dropped as soon as its last slot comes back, so the table holds the keys with requests in
 * flight, within the same bounds as {@link LocalRateLimiter}'s (max keys, idle expiry, the shared memory budget):
 * past one, a key forgotten loses its count, which makes the limiter more lenient to it, never stricter, and a later
 * release for it is harmless. Slots die with the process, so the slot timeout does not apply here: a slot is held
 * until released.
 */
public final class LocalConcurrencyLimiter implements ConcurrencyLimiter {

    private final LimitSpec spec;
    private final ConcurrencyMeter meter;
    private final KeyTable<ConcurrencyMeter.State> table;

    LocalConcurrencyLimiter(LimitSpec spec, LimiterOptions options) {
        this.spec = spec;
        HeldBytes held = new HeldBytes(options.memoryBudget().orElse(null));
        this.meter = new ConcurrencyMeter(spec);
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
     * Takes {@code permits} slots for {@code key} if they fit under the limit.
     *
     * @throws IllegalArgumentException for an empty key, fewer than one permit, or more than the limit
     */
    public Decision tryAcquire(String key, long permits) {
        LimiterArguments.check(key, permits);
        if (permits > spec.limit()) {
            throw new IllegalArgumentException("permits " + permits + " is more than the limit " + spec.limit() + " of "
                    + spec + ": no wait could admit it");
        }
        return table.decide(LimiterKeys.bounded(key), permits, true);
    }

    /**
     * Gives back {@code permits} slots of {@code key}, at most as many as it holds.
     *
     * @throws IllegalArgumentException for an empty key or fewer than one permit
     */
    public void releaseNow(String key, long permits) {
        LimiterArguments.check(key, permits);
        table.update(LimiterKeys.bounded(key), state -> meter.release(state, permits));
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return LimiterArguments.settle(() -> tryAcquire(key, permits));
    }

    @Override
    public Future<Void> release(String key, long permits) {
        try {
            releaseNow(key, permits);
            return Future.succeededFuture();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Decision> peek(String key) {
        return LimiterArguments.checkThenSettle(
                key, spec.cost(), () -> table.decide(LimiterKeys.bounded(key), spec.cost(), false));
    }

    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        table.forget(LimiterKeys.bounded(key));
        return Future.succeededFuture();
    }

    /** How many keys hold slots. */
    public long trackedKeys() {
        return table.size();
    }

    /** Forgets every key and gives their bytes back to the budget. */
    @Override
    public Future<Void> close() {
        table.close();
        return Future.succeededFuture();
    }

    @Override
    public String toString() {
        return "LocalConcurrencyLimiter[" + spec.limit() + " in flight]";
    }
}
