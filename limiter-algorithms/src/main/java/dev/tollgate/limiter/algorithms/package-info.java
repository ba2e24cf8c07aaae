/**
 * The six algorithms on the {@code local} backend: state in this JVM, integer arithmetic on
 * nanoseconds, one lock per key and none across keys. Found through
 * {@link dev.tollgate.limiter.LimiterRegistry#fromServiceLoader()}; {@link dev.tollgate.limiter.algorithms.LocalRateLimiter}
 * is the limiter they build.
 */
package dev.tollgate.limiter.algorithms;
