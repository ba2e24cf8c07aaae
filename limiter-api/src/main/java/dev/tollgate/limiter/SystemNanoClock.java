package dev.tollgate.limiter;

/**
 * Epoch time anchored once to {@link System#currentTimeMillis()} and advanced by
 * {@link System#nanoTime()}: sub-millisecond resolution, no allocation, and no steps backwards when
 * the wall clock is adjusted.
 */
final class SystemNanoClock implements NanoClock {

    static final SystemNanoClock INSTANCE = new SystemNanoClock();

    private final long anchorEpochNanos;
    private final long anchorNanoTime;

    private SystemNanoClock() {
        anchorNanoTime = System.nanoTime();
        anchorEpochNanos = System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public long epochNanos() {
        return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }
}
