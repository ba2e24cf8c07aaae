package dev.tollgate.limiter;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: for tests, and for replaying a log with the log's own time.
 * Thread-safe.
 */
public final class ManualClock implements NanoClock {

    private final AtomicLong epochNanos;

    private ManualClock(long epochNanos) {
        this.epochNanos = new AtomicLong(epochNanos);
    }

    /** A clock standing at {@code instant}. */
    public static ManualClock at(Instant instant) {
        return new ManualClock(toEpochNanos(instant));
    }

    /** A clock standing at {@code epochSeconds} seconds after the epoch. */
    public static ManualClock atEpochSecond(long epochSeconds) {
        return new ManualClock(Math.multiplyExact(epochSeconds, 1_000_000_000L));
    }

    @Override
    public long epochNanos() {
        return epochNanos.get();
    }

    /** The current time as an {@link Instant}. */
    public Instant instant() {
        long now = epochNanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
    }

    /** Moves the clock to {@code instant}, forwards or backwards. */
    public void set(Instant instant) {
        epochNanos.set(toEpochNanos(instant));
    }

    /** Moves the clock to {@code epochNanos}. */
    public void setEpochNanos(long epochNanos) {
        this.epochNanos.set(epochNanos);
    }

    /** Moves the clock forwards by {@code duration}. */
    public void advance(Duration duration) {
        epochNanos.addAndGet(duration.toNanos());
    }

    /** Moves the clock forwards to {@code epochNanos} unless it already stands later; returns the time it now shows. */
    public long advanceTo(long epochNanos) {
        return this.epochNanos.accumulateAndGet(epochNanos, Math::max);
    }

    private static long toEpochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
