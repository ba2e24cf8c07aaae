package dev.tollgate.limiter.algorithms;

/** {@code fixed-window} on the {@code local} backend: a counter per epoch-aligned window. */
public final class FixedWindowProvider extends LocalLimiterProvider {

    public FixedWindowProvider() {
        super("fixed-window", true, (spec, held) -> new FixedWindowMeter(spec));
    }
}
