package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.SettingsException;
import io.vertx.redis.client.Response;

/**
 * Sliding window counter on Redis: the permits of the current and the previous epoch-aligned
 * window in one hash; the previous window weighs by the share of it still inside the sliding window,
 * {@code count = current + ⌈previous × rest / window⌉}.
 *
 * <p>The script compares {@code previous × rest} with {@code room × window}, each at most
 * {@code limit × window}, in doubles: exact only while that is below 2^53. Time is counted in ticks
 * of 1 µs, or of 1 ms or 1 s when the window is whole milliseconds or seconds and microseconds would
 * pass that bound; a spec that passes it even in seconds is refused.
 */
final class SlidingWindowCounterScript implements AlgorithmScript {

    private static final long[] TICKS_MICROS = {1L, 1_000L, 1_000_000L};

    private final long limit;
    private final long tickMicros;
    private final long window;

    SlidingWindowCounterScript(LimitSpec spec) {
        this.limit = spec.limit();
        long windowMicros = AlgorithmScript.windowMicros(spec);
        for (long tick : TICKS_MICROS) {
            if (windowMicros % tick != 0) {
                continue;
            }
            long ticks = windowMicros / tick;
            if (Math.multiplyHigh(limit, ticks) == 0 && limit * ticks <= MAX_EXACT) {
                this.tickMicros = tick;
                this.window = ticks;
                return;
            }
        }
        throw new SettingsException(
                "limit",
                "sliding-window-counter on the redis backend weighs the previous window exactly only "
                        + "while limit × window stays below 2^53 (window in seconds at the coarsest): limit " + limit
                        + " per "
                        + Durations.format(spec.window()) + " is past it; use a smaller limit or a shorter window");
    }

    @Override
    public LuaScript lua() {
        return LuaScript.SLIDING_WINDOW_COUNTER;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {"swc"};
    }

    @Override
    public long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis) {
        return new long[] {nowMicros, permits, consume ? 1 : 0, limit, window, tickMicros, graceMillis};
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        boolean allowed = reply.get(0).toLong() == 1;
        long nowTicks = Math.floorDiv(reply.get(1).toLong(), tickMicros);
        long current = reply.get(2).toLong();
        long previous = reply.get(3).toLong();
        long start = Math.floorDiv(nowTicks, window) * window;
        long rest = window - (nowTicks - start);
        long count = current + AlgorithmScript.ceilDiv(previous * rest, window);
        long reset = current > 0
                ? AlgorithmScript.ticksToNanos(start + 2 * window, tickMicros)
                : previous > 0 ? AlgorithmScript.ticksToNanos(start + window, tickMicros) : nowNanos;
        long retry = allowed
                ? 0
                : AlgorithmScript.ticksToNanos(admitTicks(start, current, previous, permits), tickMicros) - nowNanos;
        return new Decision(allowed, limit, Math.max(0, limit - count), count, reset, retry);
    }

    /**
     * The first tick at which a request of {@code permits} fits: in this window once the previous
     * window's weight has fallen enough, otherwise in the next one, where this window becomes the previous.
     */
    private long admitTicks(long start, long current, long previous, long permits) {
        long room = limit - current - permits;
        if (room >= 0) {
            return start + window - room * window / previous;
        }
        long nextRoom = limit - permits;
        if (nextRoom >= current) {
            return start + window;
        }
        return start + 2 * window - nextRoom * window / current;
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
