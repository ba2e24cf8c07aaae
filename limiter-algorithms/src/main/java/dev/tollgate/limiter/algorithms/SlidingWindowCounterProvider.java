package dev.tollgate.limiter.algorithms;

/** {@code sliding-window-counter} on the {@code local} backend: the previous window weighted by its overlap. */
public final class SlidingWindowCounterProvider extends LocalLimiterProvider {

    public SlidingWindowCounterProvider() {
        super("sliding-window-counter", true, (spec, held) -> new SlidingWindowCounterMeter(spec));
    }
}
