package dev.tollgate.limiter.redis;

/** {@code fixed-window} on the {@code redis} backend: permits counted per window, windows aligned to the epoch. */
public final class RedisFixedWindowProvider extends RedisLimiterProvider {

    public RedisFixedWindowProvider() {
        super("fixed-window", true, FixedWindowScript::new);
    }
}
