package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.SettingsException;
import io.vertx.redis.client.Response;

/**
 * Sliding window log on Redis: a list of (time, permits) entries, oldest first, and a hash with
 * their total. An entry counts while {@code time > now − window}.
 */
final class SlidingWindowLogScript implements AlgorithmScript {

    /** The largest limit, as on the {@code local} backend: the log grows with the number of requests. */
    static final long MAX_LIMIT = 100_000;

    private final long limit;
    private final long windowMicros;

    SlidingWindowLogScript(LimitSpec spec) {
        if (spec.limit() > MAX_LIMIT) {
            throw new SettingsException(
                    "limit",
                    "sliding-window-log keeps one timestamp per request, so its limit is at most " + MAX_LIMIT
                            + ", got limit " + spec.limit()
                            + "; sliding-window-counter gives a close answer in constant space");
        }
        this.limit = spec.limit();
        this.windowMicros = AlgorithmScript.windowMicros(spec);
    }

    @Override
    public LuaScript lua() {
        return LuaScript.SLIDING_WINDOW_LOG;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"log", "n"};
    }

    @Override
    public long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis) {
        return new long[] {nowMicros, permits, consume ? 1 : 0, limit, windowMicros, graceMillis};
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        boolean allowed = reply.get(0).toLong() == 1;
        long count = reply.get(2).toLong();
        long newest = reply.get(3).toLong();
        long free = reply.get(4).toLong();
        long windowNanos = windowMicros * NANOS_PER_MICRO;
        if (!allowed) {
            return new Decision(
                    false,
                    limit,
                    limit - count,
                    count,
                    newest * NANOS_PER_MICRO + windowNanos,
                    free * NANOS_PER_MICRO - nowNanos);
        }
        long reset = count == 0 ? nowNanos : newest * NANOS_PER_MICRO + windowNanos;
        return new Decision(true, limit, limit - count, count, reset, 0);
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
