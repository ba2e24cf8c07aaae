package dev.tollgate.limiter.algorithms;

/** {@code gcra} on the {@code local} backend: the generic cell rate algorithm, emission interval {@code window / limit}, tolerance {@code burst}. */
public final class GcraProvider extends LocalLimiterProvider {

    public GcraProvider() {
        super("gcra", false, (spec, held) -> new BucketMeter(spec));
    }
}
