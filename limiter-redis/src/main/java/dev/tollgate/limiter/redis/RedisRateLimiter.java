package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RateLimiter} whose state lives in Redis, so that every node talking to the same server
 * enforces one limit. Each decision is one run of an atomic Lua script: one round trip, no lock, no
 * race between nodes. Decisions asked together on an event loop share the round trip: they go in one
 * {@code EVALSHA} of the script's batch form, which decides them one after the other, each exactly as
 * alone ({@code limiter.redis.batch}).
 *
 * <p>Keys are {@code <keyPrefix>:{<fingerprint>:<key>}:<state>}: the braces make every key of one
 * decision hash to one Redis Cluster slot; the fingerprint, a digest of the limiter's
 * {@linkplain dev.tollgate.limiter.LimiterOptions#scope() scope} and of the algorithm, limit, window and
 * burst, keeps limiters of different scopes or specs apart, lets a changed rule start afresh, and keeps
 * whatever characters a scope holds out of the key. The client key is written in its
 * {@linkplain LimiterKeys#bounded(String) bounded} form, at most 255 bytes. Keys expire once their state
 * is spent (the same as no state), plus a grace.
 *
 * <p>Time comes from the limiter's clock and goes to Redis as an argument, in microseconds: the
 * backend's resolution is 1 µs. When Redis cannot answer, decisions fail with
 * {@link dev.tollgate.limiter.LimiterException} within the configured timeout, and after repeated
 * failures at once, without touching the network, until the circuit breaker lets a probe through
 * ({@link #circuitState()}).
 */
public final class RedisRateLimiter implements RateLimiter {

    private final LimitSpec spec;
    private final String scope;
    private final AlgorithmScript script;
    private final RedisEndpoint endpoint;
    private final NanoClock clock;
    private final String keyStart;
    private final String[] keySuffixes;
    private final long graceMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisRateLimiter(LimitSpec spec, String scope, AlgorithmScript script, RedisEndpoint endpoint, NanoClock clock) {
        this.spec = spec;
        this.scope = scope;
        this.script = script;
        this.endpoint = endpoint;
        this.clock = clock;
        RedisSettings settings = endpoint.settings();
        this.keyStart = settings.keyPrefix() + ":{" + fingerprint(spec, scope) + ":";
        this.keySuffixes = script.keySuffixes();
        this.graceMillis = settings.expiryGrace().toMillis();
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        try {
            check(key, permits);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return decide(key, permits, true);
    }

    @Override
    public Future<Decision> peek(String key) {
        try {
            check(key, spec.cost());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return decide(key, spec.cost(), false);
    }

    /** The bucket algorithms reserve: their script knows when each permit falls due. */
    @Override
    public boolean reserves() {
        return script instanceof BucketScript;
    }

    /**
     * Reserves in the same script run as an acquisition, in batches as well; the longest delay goes to Redis in
     * whole microseconds, rounded down.
     */
    @Override
    public Future<Decision> reserve(String key, long permits, Duration maxDelay) {
        try {
            check(key, permits);
            if (maxDelay.isNegative() || maxDelay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException(
                        "maxDelay must be between 0 and " + MAX_DELAY.toMinutes() + " minutes, got " + maxDelay);
            }
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        if (!(script instanceof BucketScript bucket)) {
            return Future.failedFuture(new UnsupportedOperationException(spec.algorithm()
                    + " counts in windows and cannot take permits ahead of time; the bucket algorithms can"
                    + " (token-bucket, leaky-bucket, gcra)"));
        }
        long maxDelayMicros = maxDelay.toNanos() / AlgorithmScript.NANOS_PER_MICRO;
        return decide(
                key,
                permits,
                (nowMicros, grace) -> bucket.arguments(nowMicros, permits, BucketScript.TAKE + maxDelayMicros, grace));
    }

    /** Gives the permits back in Redis, as the {@code local} backend does: the key's level drops by them. */
    @Override
    public Future<Void> cancelReservation(String key, long permits) {
        try {
            check(key, permits);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        if (!(script instanceof BucketScript bucket)) {
            return Future.succeededFuture();
        }
        return decide(
                        key,
                        permits,
                        (nowMicros, grace) -> bucket.arguments(nowMicros, permits, BucketScript.GIVE_BACK, grace))
                .mapEmpty();
    }

    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        Request del = Request.cmd(Command.DEL);
        for (String redisKey : redisKeys(key)) {
            del.arg(redisKey);
        }
        return endpoint.command(del).mapEmpty();
    }

    /** Releases this limiter's share of the connection pool; the last limiter on it closes the pool. */
    @Override
    public Future<Void> close() {
        return closed.compareAndSet(false, true) ? endpoint.release() : Future.succeededFuture();
    }

    /** The state of the circuit breaker in front of this limiter's Redis server. */
    public CircuitState circuitState() {
        return endpoint.circuitState();
    }

    /** The Redis keys that hold {@code key}'s state: under its {@linkplain LimiterKeys#bounded bounded} form. */
    String[] redisKeys(String key) {
        String bounded = LimiterKeys.bounded(key);
        String[] keys = new String[keySuffixes.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyStart + bounded + "}:" + keySuffixes[i];
        }
        return keys;
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    private Future<Decision> decide(String key, long permits, boolean consume) {
        return decide(key, permits, (nowMicros, grace) -> script.arguments(nowMicros, permits, consume, grace));
    }

    /** The script's arguments for a decision at {@code nowMicros}, with the expiry grace {@code graceMillis}. */
    @FunctionalInterface
    private interface Arguments {
        long[] at(long nowMicros, long graceMillis);
    }

    private Future<Decision> decide(String key, long permits, Arguments decision) {
        long clockNanos = clock.epochNanos();
        long clockMicros = Math.floorDiv(clockNanos, AlgorithmScript.NANOS_PER_MICRO);
        long[] arguments = decision.at(clockMicros, graceMillis);
        return endpoint.evaluate(script, redisKeys(key), arguments).map(reply -> {
            long decidedMicros = reply.get(1).toLong();
            // later than the clock when the clock stepped back: the state's time is the floor
            long nowNanos = decidedMicros == clockMicros ? clockNanos : decidedMicros * AlgorithmScript.NANOS_PER_MICRO;
            return script.decision(reply, nowNanos, permits);
        });
    }

    private void check(String key, long permits) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        if (permits > script.capacity()) {
            throw new IllegalArgumentException("permits " + permits + " is more than the " + script.capacityName() + " "
                    + script.capacity() + " of " + spec + ": no wait could admit it");
        }
    }

    /**
     * What keeps two limiters' states apart: the scope, and everything of the spec but the cost, which is
     * per request. The first 12 hex digits of the SHA-1 of {@code algorithm|limit|window in ns|burst},
     * followed by {@code |scope} unless the scope is empty. The algorithm is one of this backend's names,
     * free of {@code |}, and the numbers are digits, so no two scopes or specs give the same text.
     */
    static String fingerprint(LimitSpec spec, String scope) {
        String identity = spec.algorithm() + "|" + spec.limit() + "|" + spec.windowNanos() + "|" + spec.burst()
                + (scope.isEmpty() ? "" : "|" + scope);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + (scope.isEmpty() ? "" : scope + ": ") + spec + " at "
                + endpoint.settings().safeUrl() + "]";
    }
}
