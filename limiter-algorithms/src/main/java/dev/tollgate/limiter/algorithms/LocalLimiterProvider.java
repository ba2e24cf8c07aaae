package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import java.util.Objects;
import java.util.function.Function;

/** What the six providers of the {@code local} backend share: the checks and the wiring. */
abstract class LocalLimiterProvider implements LimiterProvider {

    /** The backend name of in-process limiters. */
    static final String BACKEND = "local";

    private final String algorithm;
    private final boolean windowed;
    private final Function<LimitSpec, Meter<?>> meters;

    LocalLimiterProvider(String algorithm, boolean windowed, Function<LimitSpec, Meter<?>> meters) {
        this.algorithm = algorithm;
        this.windowed = windowed;
        this.meters = meters;
    }

    @Override
    public final String algorithm() {
        return algorithm;
    }

    @Override
    public final String backend() {
        return BACKEND;
    }

    @Override
    public final RateLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        spec.checkEnforceableBy(algorithm, windowed);
        return new LocalRateLimiter(spec, options, meters.apply(spec));
    }

    @Override
    public String toString() {
        return algorithm + "@" + BACKEND;
    }
}
