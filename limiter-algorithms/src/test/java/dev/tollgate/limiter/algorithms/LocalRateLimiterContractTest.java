package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiterContract;
import dev.tollgate.limiter.spi.LimiterProvider;

/** The contract suite on the {@code local} backend, each algorithm found through ServiceLoader. */
class LocalRateLimiterContractTest extends RateLimiterContract {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @Override
    protected boolean givesReservationsBack() {
        return true;
    }

    @Override
    protected LimiterProvider provider(String algorithm) {
        return registry.provider(algorithm, "local");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return LimiterOptions.defaults().withClock(clock).withScope(scope);
    }
}
