package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import io.vertx.redis.client.Response;

/**
 * Quotas on Redis: one counter per key and period, its key naming the period's start ({@link RedisQuotaLimiter}).
 * The script's own first argument is not the time but the milliseconds left in the period, which set the counter's
 * expiry: the period's bounds are the limiter's to work out, in its zone, from its clock.
 */
final class QuotaScript implements AlgorithmScript {

    private final long limit;

    QuotaScript(LimitSpec spec) {
        this.limit = spec.limit();
    }

    @Override
    public LuaScript lua() {
        return LuaScript.QUOTA;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"quota"};
    }

    /** The arguments of one decision: {@code nowMicros} stands for the time left in the period, in milliseconds. */
    @Override
    public long[] arguments(long leftMillis, long permits, boolean consume, long graceMillis) {
        return new long[] {leftMillis, permits, consume ? 1 : 0, limit, graceMillis};
    }

    /** The decision of {@code reply}, made at {@code nowNanos} in a period that ends at {@code endNanos}. */
    Decision decisionInPeriod(Response reply, long nowNanos, long endNanos) {
        boolean allowed = reply.get(0).toLong() == 1;
        long count = reply.get(2).toLong();
        return new Decision(
                allowed, limit, Math.max(0, limit - count), count, endNanos, allowed ? 0 : endNanos - nowNanos);
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        throw new UnsupportedOperationException("a quota's decision needs its period's end");
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
