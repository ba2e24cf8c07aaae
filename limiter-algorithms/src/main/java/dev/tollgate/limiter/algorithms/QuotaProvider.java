package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import java.util.Objects;

/**
 * {@code quota} on the {@code local} backend: at most {@code limit} permits per key in each period of
 * {@link LimiterOptions#quotaPeriod()}, counted in this process ({@link LocalQuotaLimiter}, or for a rolling window
 * {@link LocalRollingQuotaLimiter}), so lost on a restart.
 */
public final class QuotaProvider implements LimiterProvider {

    @Override
    public String name() {
        return QuotaLimiter.ALGORITHM;
    }

    @Override
    public String backend() {
        return LocalLimiterProvider.BACKEND;
    }

    @Override
    public QuotaLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        // the limit is the capacity, as for a window algorithm
        spec.checkEnforceableBy(QuotaLimiter.ALGORITHM, true);
        return options.quotaPeriod().rolling()
                ? new LocalRollingQuotaLimiter(spec, options)
                : new LocalQuotaLimiter(spec, options);
    }

    @Override
    public String toString() {
        return QuotaLimiter.ALGORITHM + "@" + LocalLimiterProvider.BACKEND;
    }
}
