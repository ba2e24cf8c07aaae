package dev.tollgate.limiter.redis;

/** {@code leaky-bucket} on the {@code redis} backend: a level draining at {@code limit} per {@code window}, admitted while level + cost fits {@code burst}. */
public final class RedisLeakyBucketProvider extends RedisLimiterProvider {

    public RedisLeakyBucketProvider() {
        super("leaky-bucket", false, BucketScript::new);
    }
}
