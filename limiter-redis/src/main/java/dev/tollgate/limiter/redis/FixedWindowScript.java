package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import io.vertx.redis.client.Response;

/** Fixed window on Redis: one hash per key, windows aligned to the epoch. */
final class FixedWindowScript implements AlgorithmScript {

    private final long limit;
    private final long windowMicros;

    FixedWindowScript(LimitSpec spec) {
        this.limit = spec.limit();
        this.windowMicros = AlgorithmScript.windowMicros(spec);
    }

    @Override
    public LuaScript lua() {
        return LuaScript.FIXED_WINDOW;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"fw"};
    }

    @Override
    public long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis) {
        return new long[] {nowMicros, permits, consume ? 1 : 0, limit, windowMicros, graceMillis};
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        boolean allowed = reply.get(0).toLong() == 1;
        long nowMicros = reply.get(1).toLong();
        long count = reply.get(2).toLong();
        long reset = (Math.floorDiv(nowMicros, windowMicros) + 1) * windowMicros * NANOS_PER_MICRO;
        if (!allowed) {
            return new Decision(false, limit, limit - count, count, reset, reset - nowNanos);
        }
        return new Decision(true, limit, limit - count, count, count == 0 ? nowNanos : reset, 0);
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
