package dev.tollgate.limiter.redis;

/** {@code sliding-window-counter} on the {@code redis} backend: the current window's permits plus the previous window's, weighed by the share of it still inside the sliding window. */
public final class RedisSlidingWindowCounterProvider extends RedisLimiterProvider {

    public RedisSlidingWindowCounterProvider() {
        super("sliding-window-counter", true, SlidingWindowCounterScript::new);
    }
}
