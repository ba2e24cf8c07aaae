package dev.tollgate.limiter.redis;

/** {@code gcra} on the {@code redis} backend: the generic cell rate algorithm, emission interval {@code window / limit}, tolerance {@code burst}. */
public final class RedisGcraProvider extends RedisLimiterProvider {

    public RedisGcraProvider() {
        super("gcra", false, BucketScript::new);
    }
}
