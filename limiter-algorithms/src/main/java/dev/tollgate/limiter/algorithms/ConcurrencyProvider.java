package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.spi.LimiterProvider;
import java.util.Objects;

/**
 * {@code concurrency} on the {@code local} backend: at most {@code limit} slots held per key, each until released
 * ({@link LocalConcurrencyLimiter}).
 */
public final class ConcurrencyProvider implements LimiterProvider {

    @Override
    public String name() {
        return ConcurrencyLimiter.ALGORITHM;
    }

    @Override
    public String backend() {
        return LocalLimiterProvider.BACKEND;
    }

    @Override
    public ConcurrencyLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        // the limit is the capacity, as for a window algorithm
        spec.checkEnforceableBy(ConcurrencyLimiter.ALGORITHM, true);
        return new LocalConcurrencyLimiter(spec, options);
    }

    @Override
    public String toString() {
        return ConcurrencyLimiter.ALGORITHM + "@" + LocalLimiterProvider.BACKEND;
    }
}
