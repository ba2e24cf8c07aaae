package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.NanoClock;
import io.vertx.core.Future;

/**
 * A {@link ConcurrencyLimiter} whose slots live in Redis, so that every node talking to the same server holds one
 * count of requests in flight per key. Each slot expires on its own a slot timeout after it was taken, so the slots
 * of a node that died holding them come back. Taking and giving back are one atomic script each time, batched with
 * the other decisions of the limiter on an event loop, with the keys, time and failure handling of
 * {@link RedisRateLimiter}, which it extends with {@link #release}.
 *
 * <p>A release gives back the newest slots of the key, not necessarily the ones its request took: slots are
 * interchangeable while they live, and a request in flight for longer than the slot timeout has lost its slot
 * anyway, so the slot timeout must exceed the longest request.
 */
public final class RedisConcurrencyLimiter implements ConcurrencyLimiter {

    private final RedisRateLimiter slots;
    private final ConcurrencyScript script;
    private final NanoClock clock;
    private final long graceMillis;

    RedisConcurrencyLimiter(LimitSpec spec, String scope, RedisEndpoint endpoint, NanoClock clock) {
        this.script = new ConcurrencyScript(spec);
        this.slots = new RedisRateLimiter(spec, scope, script, endpoint, clock);
        this.clock = clock;
        this.graceMillis = endpoint.settings().expiryGrace().toMillis();
    }

    @Override
    public LimitSpec spec() {
        return slots.spec();
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return slots.acquire(key, permits);
    }

    @Override
    public Future<Void> release(String key, long permits) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        if (permits < 1) {
            return Future.failedFuture(new IllegalArgumentException("permits must be at least 1, got " + permits));
        }
        long nowMicros = Math.floorDiv(clock.epochNanos(), AlgorithmScript.NANOS_PER_MICRO);
        return slots.endpoint()
                .evaluate(script, slots.redisKeys(key), script.releaseArguments(nowMicros, permits, graceMillis))
                .mapEmpty();
    }

    @Override
    public Future<Decision> peek(String key) {
        return slots.peek(key);
    }

    @Override
    public Future<Void> reset(String key) {
        return slots.reset(key);
    }

    @Override
    public Future<Void> close() {
        return slots.close();
    }

    /** The state of the circuit breaker in front of this limiter's Redis server. */
    public CircuitState circuitState() {
        return slots.circuitState();
    }

    @Override
    public String toString() {
        return "RedisConcurrencyLimiter[" + slots + "]";
    }
}
