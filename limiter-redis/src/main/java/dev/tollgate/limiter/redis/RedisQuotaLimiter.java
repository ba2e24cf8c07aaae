package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link QuotaLimiter} whose counts live in Redis: every node talking to the same server holds one count per key and
 * period, and a restart loses none. Each decision is one run of an atomic script (refusing when count + permits would
 * pass the limit), batched with the limiter's other decisions on an event loop, behind the endpoint's timeout and
 * circuit breaker as {@link RedisRateLimiter}'s are.
 *
 * <p>Keys are {@code <keyPrefix>:{<fingerprint>:<key>}:quota:<period start, epoch seconds>}. The fingerprint is a
 * digest of the scope and the period (unit, days, zone) but not of the limit, so that a quota raised or lowered
 * mid-period keeps the key's count; a new period is a new Redis key, which starts at 0, and each count expires just
 * after its period ends (plus the expiry grace). The period's bounds come from the limiter's clock: nodes whose clocks
 * disagree by a second disagree on the period for that second.
 *
 * <p>A {@linkplain QuotaPeriod#rolling() rolling} window keeps one hash per key instead,
 * {@code <keyPrefix>:{<fingerprint>:<key>}:quota:rolling}, a field per day (days since 1970-01-01 in the zone) with
 * the permits taken that day: one atomic script drops the days that left the window, sums the rest, and refuses or
 * adds the permits to the current day ({@link RollingQuotaScript}); the hash expires a day more than the window after
 * its newest use (plus the expiry grace).
 */
public final class RedisQuotaLimiter implements QuotaLimiter {

    private final LimitSpec spec;
    private final QuotaPeriod period;
    private final String scope;
    private final QuotaScript script;
    private final RollingQuotaScript rollingScript;
    private final RedisEndpoint endpoint;
    private final NanoClock clock;
    private final String keyStart;
    private final long graceMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisQuotaLimiter(LimitSpec spec, QuotaPeriod period, String scope, RedisEndpoint endpoint, NanoClock clock) {
        this.spec = spec;
        this.period = period;
        this.scope = scope;
        this.script = new QuotaScript(spec);
        this.rollingScript = new RollingQuotaScript(spec, period);
        this.endpoint = endpoint;
        this.clock = clock;
        this.keyStart = endpoint.settings().keyPrefix() + ":{" + fingerprint(period, scope) + ":";
        this.graceMillis = endpoint.settings().expiryGrace().toMillis();
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    @Override
    public QuotaPeriod period() {
        return period;
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        if (permits < 1) {
            return Future.failedFuture(new IllegalArgumentException("permits must be at least 1, got " + permits));
        }
        if (permits > spec.limit()) {
            return Future.failedFuture(new IllegalArgumentException("permits " + permits + " is more than the limit "
                    + spec.limit() + " of a " + period + " quota: no period could admit it"));
        }
        return decide(key, permits, true);
    }

    @Override
    public Future<Decision> peek(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        return decide(key, spec.cost(), false);
    }

    /** Forgets {@code key}'s count in the current period, or in every day of a rolling window. */
    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        if (period.rolling()) {
            return endpoint.command(Request.cmd(Command.DEL).arg(rollingKey(key)))
                    .mapEmpty();
        }
        QuotaPeriod.Bounds bounds = period.bounds(clock.epochNanos());
        return endpoint.command(Request.cmd(Command.DEL).arg(redisKey(key, bounds)))
                .mapEmpty();
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

    /** The endpoint this limiter decides through. */
    RedisEndpoint endpoint() {
        return endpoint;
    }

    /** The Redis key of {@code key}'s count in the period of {@code bounds}. */
    String redisKey(String key, QuotaPeriod.Bounds bounds) {
        return keyStart + LimiterKeys.bounded(key) + "}:quota:" + bounds.start().getEpochSecond();
    }

    /** The Redis key of {@code key}'s counts per day in a rolling window. */
    String rollingKey(String key) {
        return keyStart + LimiterKeys.bounded(key) + "}:" + rollingScript.keySuffixes()[0];
    }

    private Future<Decision> decide(String key, long permits, boolean consume) {
        long now = clock.epochNanos();
        if (period.rolling()) {
            long today = period.epochDay(now);
            long[] arguments = rollingScript.arguments(today, permits, consume, graceMillis);
            return endpoint.evaluate(rollingScript, new String[] {rollingKey(key)}, arguments)
                    .map(reply -> rollingScript.decisionInWindow(reply, permits, today, now));
        }
        QuotaPeriod.Bounds bounds = period.bounds(now);
        long end = bounds.endEpochNanos();
        long leftMillis = Math.max(1, Math.floorDiv(end - now + 999_999, 1_000_000L));
        long[] arguments = script.arguments(leftMillis, permits, consume, graceMillis);
        return endpoint.evaluate(script, new String[] {redisKey(key, bounds)}, arguments)
                .map(reply -> script.decisionInPeriod(reply, now, end));
    }

    /**
     * What keeps two quotas' counts apart: the first 12 hex digits of the SHA-1 of
     * {@code quota|<period>|<zone>|<scope>}. The period and zone hold no {@code |}, so no two give the same text.
     */
    static String fingerprint(QuotaPeriod period, String scope) {
        String identity = QuotaLimiter.ALGORITHM + "|" + period.id() + "|" + period.zoneName() + "|" + scope;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "RedisQuotaLimiter[" + (scope.isEmpty() ? "" : scope + ": ") + spec.limit() + " per " + period + " at "
                + endpoint.settings().safeUrl() + "]";
    }
}
