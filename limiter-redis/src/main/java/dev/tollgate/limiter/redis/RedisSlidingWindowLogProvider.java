package dev.tollgate.limiter.redis;

/** {@code sliding-window-log} on the {@code redis} backend: every admitted request's time, an entry counting while it is younger than the window; limit at most 100,000. */
public final class RedisSlidingWindowLogProvider extends RedisLimiterProvider {

    public RedisSlidingWindowLogProvider() {
        super("sliding-window-log", true, SlidingWindowLogScript::new);
    }
}
