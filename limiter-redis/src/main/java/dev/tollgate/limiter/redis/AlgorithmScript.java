package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.SettingsException;
import io.vertx.redis.client.Response;

/**
 * One algorithm on Redis: which Lua script decides, on which keys, with which arguments, and how its
 * answer becomes a {@link Decision}. The script does the state change atomically; the arithmetic
 * of the answer (reset, retry-after) is done here, in exact long integers, as the {@code local}
 * backend does it.
 *
 * <p>Time goes to the scripts in microseconds since the epoch: Lua numbers are doubles, exact for
 * integers below 2^53, which epoch microseconds stay under until the year 2255. Every implementation
 * keeps the products its script forms below 2^53, choosing a coarser tick or refusing the spec.
 */
interface AlgorithmScript {

    long NANOS_PER_MICRO = 1_000L;

    /** The largest integer every double holds exactly, and so every Lua number. */
    long MAX_EXACT = 1L << 53;

    LuaScript lua();

    /** Short name of the state, the last part of its keys. */
    String[] keySuffixes();

    /**
     * The script's arguments after the keys: the decision's own first ({@code nowMicros}, {@code permits},
     * {@code consume}: {@value LuaScript#OWN_ARGUMENTS} of them), then those the same for every decision of
     * this limiter, which a batch sends once.
     *
     * @param nowMicros   the clock, in microseconds since the epoch
     * @param graceMillis the expiry grace
     */
    long[] arguments(long nowMicros, long permits, boolean consume, long graceMillis);

    /**
     * Reads the script's answer.
     *
     * @param reply      the script's array; its first two entries are the admission (1 or 0) and the
     *                   time decided at, in microseconds, which is later than the clock when the clock
     *                   stepped back
     * @param nowNanos   the time decided at, in nanoseconds
     */
    Decision decision(Response reply, long nowNanos, long permits);

    /** The most permits one acquisition can ask for: the burst of a bucket, the limit of a window. */
    long capacity();

    /** What {@link #capacity()} is called for this algorithm, for error messages. */
    String capacityName();

    /** The window in whole microseconds, or a refusal naming the algorithm. */
    static long windowMicros(LimitSpec spec) {
        long nanos = spec.windowNanos();
        if (nanos % NANOS_PER_MICRO != 0) {
            throw new SettingsException(
                    "window",
                    spec.algorithm() + " on the redis backend counts time in whole microseconds; " + "the window of "
                            + spec + " is " + nanos + " ns: use a window in whole microseconds");
        }
        return nanos / NANOS_PER_MICRO;
    }

    /** {@code ticks × tickMicros} in nanoseconds, saturated at the end of time as the {@code local} backend does. */
    static long ticksToNanos(long ticks, long tickMicros) {
        long tickNanos = tickMicros * NANOS_PER_MICRO;
        if (Math.multiplyHigh(ticks, tickNanos) != 0 || ticks * tickNanos < 0) {
            return Long.MAX_VALUE;
        }
        return ticks * tickNanos;
    }

    static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
