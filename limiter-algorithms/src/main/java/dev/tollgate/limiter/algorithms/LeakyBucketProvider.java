package dev.tollgate.limiter.algorithms;

/** {@code leaky-bucket} on the {@code local} backend: a level draining at {@code limit} per {@code window}, admitted while level + cost fits {@code burst}. */
public final class LeakyBucketProvider extends LocalLimiterProvider {

    public LeakyBucketProvider() {
        super("leaky-bucket", false, (spec, held) -> new BucketMeter(spec));
    }
}
