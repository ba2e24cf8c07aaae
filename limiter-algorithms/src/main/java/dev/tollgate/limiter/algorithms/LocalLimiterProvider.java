package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import java.util.Objects;

/** What the six providers of the {@code local} backend share: the checks and the wiring. */
abstract class LocalLimiterProvider implements LimiterProvider {

    /** The backend name of in-process limiters. */
    static final String BACKEND = "local";

    private final String algorithm;
    private final boolean windowed;
    private final MeterFactory meters;

    LocalLimiterProvider(String algorithm, boolean windowed, MeterFactory meters) {
        this.algorithm = algorithm;
        this.windowed = windowed;
        this.meters = meters;
    }

    @Override
    public final String name() {
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
        HeldBytes held = new HeldBytes(options.memoryBudget().orElse(null));
        return new LocalRateLimiter(spec, options, meters.create(spec, held), held);
    }

    /** Makes the meter of a limiter; a meter whose states grow charges what they grow by to {@code held}. */
    @FunctionalInterface
    interface MeterFactory {
        Meter<?> create(LimitSpec spec, HeldBytes held);
    }

    @Override
    public String toString() {
        return algorithm + "@" + BACKEND;
    }
}
