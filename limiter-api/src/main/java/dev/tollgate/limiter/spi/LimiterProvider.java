package dev.tollgate.limiter.spi;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.Provider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;

/**
 * Makes {@link RateLimiter}s of one algorithm on one backend. A limiter provider is known by its backend and
 * its {@linkplain #name() name}, the algorithm's.
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.limiter.spi.LimiterProvider}, or is registered by code;</li>
 *   <li>answers {@link #name()} with the algorithm's name, as {@link LimitSpec#algorithm()} spells it
 *       ({@code token-bucket}), and {@link #backend()} with the backend's ({@code local}): both constant and
 *       lower-case;</li>
 *   <li>makes limiters that keep every rule of {@link RateLimiter}, take all time from
 *       {@link LimiterOptions#clock()}, and pass the contract suite
 *       ({@code dev.tollgate.limiter.RateLimiterContract} in the test-jar of this module);</li>
 *   <li>never lets limiters of different {@linkplain LimiterOptions#scope() scopes} share state, nor
 *       limiters of different specs, whatever characters a scope holds;</li>
 *   <li>refuses, in {@link #create} and before any I/O, a {@link LimitSpec} it cannot enforce exactly with a
 *       {@link SettingsException} whose key is the field at fault relative to the spec (one of
 *       {@link LimitSpec#FIELDS}: {@code algorithm} for a spec of another algorithm, {@code burst},
 *       {@code window}, {@code limit}, {@code cost}) and whose problem says why and what would work;
 *       {@link LimitSpec#checkEnforceableBy} makes the checks every provider shares;</li>
 *   <li>reads its backend's settings from {@link LimiterOptions#settings()}, the backend's own section, with
 *       the {@link Settings} getters, and refuses, in {@link #create} and before any I/O, a setting it cannot
 *       use (an unknown one included) with a {@link SettingsException} naming the setting's full key;</li>
 *   <li>is thread-safe: one provider makes many limiters, from any thread.</li>
 * </ol>
 */
public interface LimiterProvider extends Provider {

    /** The algorithm's name, as rules and {@link LimitSpec#algorithm()} spell it: constant and lower-case. */
    @Override
    String name();

    /** The backend's name: {@code local} for in-process state, {@code redis}, …; constant and lower-case. */
    String backend();

    /**
     * A limiter enforcing {@code spec}.
     *
     * @throws SettingsException for a spec it cannot enforce exactly (keyed by the spec's field) or a setting it
     *     cannot use (keyed in full)
     */
    RateLimiter create(LimitSpec spec, LimiterOptions options);
}
