package dev.tollgate.limiter.algorithms;

/** {@code sliding-window-log} on the {@code local} backend: exact request timestamps, limit at most 100,000. */
public final class SlidingWindowLogProvider extends LocalLimiterProvider {

    public SlidingWindowLogProvider() {
        super("sliding-window-log", true, SlidingWindowLogMeter::new);
    }
}
