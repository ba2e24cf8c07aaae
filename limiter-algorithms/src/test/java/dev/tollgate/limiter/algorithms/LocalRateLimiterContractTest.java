package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.RateLimiterContract;

/** The contract suite on the {@code local} backend, each algorithm found through ServiceLoader. */
class LocalRateLimiterContractTest extends RateLimiterContract {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @Override
    protected RateLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        return registry.create(
                spec, "local", LimiterOptions.defaults().withClock(clock).withScope(scope));
    }
}
