package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.QuotaPeriod;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * Rolling quotas on Redis: one hash per key, a field per day with its count ({@link RedisQuotaLimiter}). The script's
 * own first argument is not the time but the current day in the quota's zone: the days are the limiter's to work
 * out, from its clock. The hash expires a day more than the window after its newest use, which covers a window whose
 * days are 25 hours long across a change of daylight saving time.
 */
final class RollingQuotaScript implements AlgorithmScript {

    private final long limit;
    private final QuotaPeriod period;

    RollingQuotaScript(LimitSpec spec, QuotaPeriod period) {
        this.limit = spec.limit();
        this.period = period;
    }

    @Override
    public LuaScript lua() {
        return LuaScript.ROLLING_QUOTA;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"quota:rolling"};
    }

    /** The arguments of one decision: {@code nowMicros} stands for the current day, in days since 1970-01-01. */
    @Override
    public long[] arguments(long today, long permits, boolean consume, long graceMillis) {
        long expiry = Duration.ofDays(period.days() + 1L).toMillis() + graceMillis;
        return new long[] {today, permits, consume ? 1 : 0, limit, period.days(), expiry};
    }

    /** The decision of {@code reply}, made at {@code nowNanos} on the day {@code today} for {@code permits}. */
    Decision decisionInWindow(Response reply, long permits, long today, long nowNanos) {
        boolean allowed = reply.get(0).toLong() == 1;
        int days = (reply.size() - 2) / 2;
        long[] day = new long[days];
        long[] count = new long[days];
        for (int i = 0; i < days; i++) {
            day[i] = reply.get(2 + 2 * i).toLong();
            count[i] = reply.get(3 + 2 * i).toLong();
        }
        return period.rollingDecision(allowed, limit, permits, today, day, count, nowNanos);
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        throw new UnsupportedOperationException("a rolling quota's decision needs its day");
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
