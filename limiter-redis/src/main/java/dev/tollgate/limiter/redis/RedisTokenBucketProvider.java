package dev.tollgate.limiter.redis;

/** {@code token-bucket} on the {@code redis} backend: capacity {@code burst}, refilled at {@code limit} per {@code window}. */
public final class RedisTokenBucketProvider extends RedisLimiterProvider {

    public RedisTokenBucketProvider() {
        super("token-bucket", false, BucketScript::new);
    }
}
