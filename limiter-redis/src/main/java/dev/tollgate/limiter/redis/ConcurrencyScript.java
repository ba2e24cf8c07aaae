package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.SettingsException;
import io.vertx.redis.client.Response;

/**
 * Concurrency on Redis: a sorted set of the slots a key holds, each scored by the time it expires (the spec's
 * window, the slot timeout, after it was taken), and a counter that numbers the slots. Taking, peeking and giving
 * back are the three modes of one script, so that a release goes in the same batch as the decisions around it.
 */
final class ConcurrencyScript implements AlgorithmScript {

    /** The largest limit: the set holds one member per slot. */
    static final long MAX_LIMIT = 100_000;

    private static final long TAKE = 1;
    private static final long PEEK = 0;
    private static final long GIVE_BACK = 2;
    private static final long RETRY_AFTER_NANOS = ConcurrencyLimiter.RETRY_AFTER.toNanos();

    private final long limit;
    private final long timeoutMicros;

    ConcurrencyScript(LimitSpec spec) {
        if (spec.limit() > MAX_LIMIT) {
            throw new SettingsException(
                    "limit",
                    "concurrency on the redis backend keeps one entry per slot held, so its limit is at most "
                            + MAX_LIMIT + ", got limit " + spec.limit());
        }
        this.limit = spec.limit();
        this.timeoutMicros = AlgorithmScript.windowMicros(spec);
    }

    @Override
    public LuaScript lua() {
        return LuaScript.CONCURRENCY;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"slots", "seq"};
    }

    @Override
    public long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis) {
        return new long[] {nowMicros, permits, consume ? TAKE : PEEK, limit, timeoutMicros, graceMillis};
    }

    /** The arguments that give back {@code permits} slots. */
    long[] releaseArguments(long nowMicros, long permits, long graceMillis) {
        return new long[] {nowMicros, permits, GIVE_BACK, limit, timeoutMicros, graceMillis};
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        boolean allowed = reply.get(0).toLong() == 1;
        long held = reply.get(2).toLong();
        if (!allowed) {
            return new Decision(
                    false, limit, Math.max(0, limit - held), held, nowNanos + RETRY_AFTER_NANOS, RETRY_AFTER_NANOS);
        }
        return new Decision(true, limit, limit - held, held, nowNanos, 0);
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public String capacityName() {
        return "limit";
    }
}
