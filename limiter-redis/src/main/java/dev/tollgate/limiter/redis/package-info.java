/**
 * The {@code redis} limiter backend: the six algorithms of the {@code local} backend as atomic Lua
 * scripts in Redis, so that every node sharing the server enforces one limit. Found through
 * {@link dev.tollgate.limiter.LimiterRegistry#fromServiceLoader()}; needs
 * {@link dev.tollgate.limiter.LimiterOptions#vertx()} and reads its settings from
 * {@link dev.tollgate.limiter.LimiterOptions#settings()}, its section of the configuration (see
 * {@code docs/redis.md}).
 * {@link dev.tollgate.limiter.redis.RedisRateLimiter} is the limiter they build.
 */
package dev.tollgate.limiter.redis;
