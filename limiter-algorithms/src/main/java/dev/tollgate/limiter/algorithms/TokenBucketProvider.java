package dev.tollgate.limiter.algorithms;

/** {@code token-bucket} on the {@code local} backend: capacity {@code burst}, refilled at {@code limit} per {@code window}. */
public final class TokenBucketProvider extends LocalLimiterProvider {

    public TokenBucketProvider() {
        super("token-bucket", false, (spec, held) -> new BucketMeter(spec));
    }
}
