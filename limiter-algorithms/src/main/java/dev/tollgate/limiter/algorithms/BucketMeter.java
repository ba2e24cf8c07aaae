package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.SettingsException;
import java.math.BigInteger;

/**
 * A bucket of {@code burst} permits that refills at {@code limit} per {@code window}, in exact fixed
 * point. The token bucket, the leaky bucket (as a meter) and GCRA are the same arithmetic seen from
 * three sides: tokens taken out of a bucket that refills, water poured into a bucket that drains,
 * or a theoretical arrival time pushed ahead of the clock. This class keeps the level of the leaky
 * bucket: zero is full allowance.
 *
 * <p>Time advances in whole units of {@code unit} nanoseconds, the finest of 1 ns, 1 µs, 1 ms and
 * 1 s that divides the window and keeps the arithmetic within 62 bits. With the window {@code w}
 * units long and {@code g = gcd(w, limit)}, one permit is {@code w / g} level units and the bucket
 * drains {@code limit / g} level units per time unit, so every refill is an integer and no rounding
 * ever lets an extra request through.
 */
final class BucketMeter implements Meter<BucketMeter.State> {

    private static final long[] UNITS = {1L, 1_000L, 1_000_000L, 1_000_000_000L};
    private static final long MAX_LEVEL = 1L << 62;

    /**
     * The level as of the state's {@link KeyState#touchedNanos}: every decision that may take permits
     * brings it up to date, admitted or not, so the time it was measured at needs no field of its own.
     */
    static final class State extends KeyState {
        long level;
    }

    private final long capacity;
    private final long unit;
    private final long permitSize;
    private final long drainPerUnit;
    private final long fullLevel;

    BucketMeter(LimitSpec spec) {
        this.capacity = spec.burst();
        long window = spec.windowNanos();
        for (long candidate : UNITS) {
            if (window % candidate != 0) {
                continue;
            }
            long units = window / candidate;
            long gcd = BigInteger.valueOf(units)
                    .gcd(BigInteger.valueOf(spec.limit()))
                    .longValueExact();
            long size = units / gcd;
            if (Math.multiplyHigh(size, capacity) == 0 && size * capacity <= MAX_LEVEL) {
                this.unit = candidate;
                this.permitSize = size;
                this.drainPerUnit = spec.limit() / gcd;
                this.fullLevel = size * capacity;
                return;
            }
        }
        throw new SettingsException(
                "burst",
                spec.algorithm() + " cannot refill a burst of " + capacity + " at limit " + spec.limit() + " per "
                        + window + " ns exactly; use a window in whole seconds or a smaller burst");
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public Decision decide(State state, long now, long permits, boolean consume) {
        return decide(state, now, permits, consume, 0);
    }

    @Override
    public boolean reserves() {
        return true;
    }

    @Override
    public Decision reserve(State state, long now, long permits, long maxDelayNanos) {
        long nowUnit = toUnits(now);
        // the permits are due at the start of the first unit at which the excess over the full level has drained:
        // within maxDelay while that excess drains within the whole units that start by now + maxDelay
        long units = Math.floorDiv(now + maxDelayNanos, unit) - nowUnit;
        long slack = Math.multiplyHigh(units, drainPerUnit) != 0 ? Long.MAX_VALUE : units * drainPerUnit;
        // past the bound the level could not be held; a wait that long counts as the longest that can
        return decide(state, now, permits, true, Math.min(slack, MAX_LEVEL - fullLevel));
    }

    @Override
    public void giveBack(State state, long now, long permits) {
        // the caller left before its permits were due, so the level still holds them (more than the full level)
        state.level = Math.max(0, drained(state, toUnits(now)) - permits * permitSize);
    }

    /**
     * Decides at {@code now}, admitting a level up to {@code slack} units past the full level: 0 for an acquisition,
     * the units that drain within the longest wait for a reservation, which then waits for the excess to drain.
     */
    private Decision decide(State state, long now, long permits, boolean consume, long slack) {
        long nowUnit = toUnits(now);
        long level = drained(state, nowUnit);
        long needed = permits * permitSize;
        // level − full first: the level may stand past the full level by up to the slack of earlier reservations
        long over = level - fullLevel + needed;
        boolean allowed = over <= slack;
        if (consume) {
            // measured at now, which the table records as the state's time: draining is exact, so a
            // denied decision may bring the level forward too
            if (allowed) {
                level += needed;
            }
            state.level = level;
        }
        long remaining = Math.max(0, fullLevel - level) / permitSize;
        long reset = level == 0 ? now : timeAfter(nowUnit, level);
        long retry = allowed ? 0 : timeAfter(nowUnit, over) - now;
        long delay = allowed && consume && level > fullLevel ? timeAfter(nowUnit, level - fullLevel) - now : 0;
        // the permits counted against the key, reserved ones included: past the capacity while callers wait
        long count = Int128.ceilDiv(level, permitSize);
        return new Decision(allowed, capacity, remaining, count, reset, retry, delay);
    }

    @Override
    public boolean isSpent(State state, long now) {
        return drained(state, toUnits(now)) == 0;
    }

    @Override
    public long stateBytes(State state) {
        return StateFootprint.SMALL_STATE;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public String capacityName() {
        return "burst";
    }

    private long drained(State state, long nowUnit) {
        long level = state.level;
        if (level == 0) {
            return 0;
        }
        long elapsed = nowUnit - toUnits(state.touchedNanos);
        // multiplications instead of divisions: this runs on every decision
        if (Math.multiplyHigh(elapsed, drainPerUnit) != 0) {
            return 0;
        }
        long drain = elapsed * drainPerUnit;
        return drain < 0 || drain >= level ? 0 : level - drain;
    }

    private long toUnits(long nanos) {
        return unit == 1 ? nanos : Math.floorDiv(nanos, unit);
    }

    /** The start of the first time unit at which {@code level} units have drained, saturated at the end of time. */
    private long timeAfter(long nowUnit, long level) {
        long units = nowUnit + (drainPerUnit == 1 ? level : Int128.ceilDiv(level, drainPerUnit));
        if (Math.multiplyHigh(units, unit) != 0 || units * unit < 0) {
            return Long.MAX_VALUE;
        }
        return units * unit;
    }
}
