package dev.tollgate.limiter.spi;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;

/**
 * Makes {@link RateLimiter}s of one algorithm on one backend.
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.limiter.spi.LimiterProvider}, or is registered by code;</li>
 *   <li>answers {@link #algorithm()} and {@link #backend()} with constant, lower-case names
 *       ({@code token-bucket}, {@code local});</li>
 *   <li>makes limiters that keep every rule of {@link RateLimiter}, take all time from
 *       {@link LimiterOptions#clock()}, and pass the contract suite
 *       ({@code dev.tollgate.limiter.RateLimiterContract} in the test-jar of this module);</li>
 *   <li>never lets limiters of different {@linkplain LimiterOptions#scope() scopes} share state, nor
 *       limiters of different specs, whatever characters a scope holds;</li>
 *   <li>rejects, in {@link #create}, a {@link LimitSpec} it cannot enforce exactly, with an
 *       {@link IllegalArgumentException} saying why and what would work.</li>
 * </ol>
 */
public interface LimiterProvider {

    /** The algorithm's name, as rules and {@link LimitSpec#algorithm()} spell it. */
    String algorithm();

    /** The backend's name: {@code local} for in-process state, {@code redis}, … */
    String backend();

    /** A limiter enforcing {@code spec}. */
    RateLimiter create(LimitSpec spec, LimiterOptions options);
}
