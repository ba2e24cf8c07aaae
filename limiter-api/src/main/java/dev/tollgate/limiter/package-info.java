/**
 * The rate-limiter API: {@link dev.tollgate.limiter.RateLimiter} takes permits for a key and answers
 * with a {@link dev.tollgate.limiter.Decision}; a {@link dev.tollgate.limiter.LimitSpec} says how many
 * permits a key gets per window and with which algorithm; {@link dev.tollgate.limiter.LimiterRegistry}
 * finds the implementations. {@link dev.tollgate.limiter.LimiterKeys} bounds keys in bytes, and a
 * {@link dev.tollgate.limiter.MemoryBudget} bounds the bytes that in-process limiters hold together.
 *
 * <p>Implementations plug in through {@link dev.tollgate.limiter.spi.LimiterProvider}. Time always
 * comes from an injected {@link dev.tollgate.limiter.NanoClock}, so tests and log replay drive it.
 */
package dev.tollgate.limiter;
