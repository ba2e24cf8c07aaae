package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.SettingsException;
import io.vertx.redis.client.Response;
import java.math.BigInteger;

/**
 * Token bucket, leaky bucket and GCRA on Redis: the same exact fixed point as the {@code local}
 * backend's, one hash per key. A bucket of {@code burst} permits refills at {@code limit} per
 * {@code window}; its level (zero is the full allowance) drains by {@code limit / g} per tick, and a
 * permit is {@code window / g} level units, with the window counted in ticks and
 * {@code g = gcd(window, limit)}, so every refill is an integer.
 *
 * <p>The tick is the finest of 1 µs, 1 ms and 1 s that divides the window and keeps the full level,
 * {@code burst × window / g}, at most 2^52, so that every sum the script forms is exact in a double.
 * A spec that passes it even in seconds is refused.
 */
final class BucketScript implements AlgorithmScript {

    private static final long[] TICKS_MICROS = {1L, 1_000L, 1_000_000L};
    private static final long MAX_LEVEL = 1L << 52;

    /** The script's mode that decides without taking. */
    static final long PEEK = 0;
    /** The script's mode that takes permits due now; past it, {@code TAKE + d} reserves them due within d µs. */
    static final long TAKE = 1;
    /** The script's mode that gives back the permits of a reservation whose caller stopped waiting. */
    static final long GIVE_BACK = -1;

    private final String algorithm;
    private final long capacity;
    private final long tickMicros;
    private final long permitSize;
    private final long drainPerTick;
    private final long fullLevel;

    BucketScript(LimitSpec spec) {
        this.algorithm = spec.algorithm();
        this.capacity = spec.burst();
        long windowMicros = AlgorithmScript.windowMicros(spec);
        for (long tick : TICKS_MICROS) {
            if (windowMicros % tick != 0) {
                continue;
            }
            long ticks = windowMicros / tick;
            long gcd = BigInteger.valueOf(ticks)
                    .gcd(BigInteger.valueOf(spec.limit()))
                    .longValueExact();
            long size = ticks / gcd;
            if (Math.multiplyHigh(size, capacity) == 0 && size * capacity <= MAX_LEVEL) {
                this.tickMicros = tick;
                this.permitSize = size;
                this.drainPerTick = spec.limit() / gcd;
                this.fullLevel = size * capacity;
                return;
            }
        }
        throw new SettingsException(
                "burst",
                algorithm + " on the redis backend cannot refill a burst of " + capacity
                        + " at limit " + spec.limit() + " per " + Durations.format(spec.window())
                        + " exactly; use a window in whole seconds or a smaller burst");
    }

    @Override
    public LuaScript lua() {
        return LuaScript.BUCKET;
    }

    @Override
    public String[] keySuffixes() {
        return new String[] {
            switch (algorithm) {
                case "token-bucket" -> "tb";
                case "leaky-bucket" -> "lb";
                default -> algorithm;
            }
        };
    }

    @Override
    public long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis) {
        return arguments(nowMicros, permits, consume ? TAKE : PEEK, graceMillis);
    }

    /**
     * The arguments of a decision in one of the script's modes: {@link #PEEK}, {@link #TAKE}, {@link #GIVE_BACK}, or
     * {@code TAKE + d} to reserve permits due within {@code d} microseconds.
     */
    long[] arguments(long nowMicros, long permits, long mode, long graceMillis) {
        return new long[] {nowMicros, permits, mode, permitSize, drainPerTick, fullLevel, tickMicros, graceMillis};
    }

    @Override
    public Decision decision(Response reply, long nowNanos, long permits) {
        boolean allowed = reply.get(0).toLong() == 1;
        long nowTicks = Math.floorDiv(reply.get(1).toLong(), tickMicros);
        long level = reply.get(2).toLong();
        long remaining = Math.max(0, fullLevel - level) / permitSize;
        long reset = level == 0 ? nowNanos : timeAfter(nowTicks, level);
        long retry = allowed ? 0 : timeAfter(nowTicks, level - fullLevel + permits * permitSize) - nowNanos;
        // past the full level only after a reservation, whose permits are due once the excess has drained
        long delay = allowed && level > fullLevel ? timeAfter(nowTicks, level - fullLevel) - nowNanos : 0;
        long count = AlgorithmScript.ceilDiv(level, permitSize);
        return new Decision(allowed, capacity, remaining, count, reset, retry, delay);
    }

    /** The start of the first tick at which {@code level} units have drained. */
    private long timeAfter(long nowTicks, long level) {
        long ticks = drainPerTick == 1 ? level : AlgorithmScript.ceilDiv(level, drainPerTick);
        return AlgorithmScript.ticksToNanos(nowTicks + ticks, tickMicros);
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public String capacityName() {
        return "burst";
    }
}
