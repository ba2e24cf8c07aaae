package dev.tollgate.limiter;

/**
 * The time source of a limiter: nanoseconds since the Unix epoch.
 *
 * <p>Implementations must be thread-safe. They should not go backwards; limiters treat a clock that
 * does as standing still.
 */
@FunctionalInterface
public interface NanoClock {

    /** Nanoseconds since 1970-01-01T00:00:00Z. */
    long epochNanos();

    /** The wall clock, read through the monotonic {@link System#nanoTime()} so it never steps back. */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}
