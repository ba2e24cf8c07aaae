package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** What the six providers of the {@code redis} backend share: the checks and the wiring. */
abstract class RedisLimiterProvider implements LimiterProvider {

    /** The backend name of Redis limiters. */
    static final String BACKEND = "redis";

    private final String algorithm;
    private final boolean windowed;
    private final Function<LimitSpec, AlgorithmScript> scripts;

    RedisLimiterProvider(String algorithm, boolean windowed, Function<LimitSpec, AlgorithmScript> scripts) {
        this.algorithm = algorithm;
        this.windowed = windowed;
        this.scripts = scripts;
    }

    @Override
    public final String name() {
        return algorithm;
    }

    @Override
    public final String backend() {
        return BACKEND;
    }

    /**
     * A limiter for {@code spec} on the server that {@code options.settings()} name.
     *
     * @throws SettingsException for a spec this backend cannot enforce exactly (keyed by the spec's field) or a
     *     setting it cannot use (keyed in full)
     * @throws LimiterException  when {@code options} carry no Vert.x instance
     */
    @Override
    public final RateLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        spec.checkEnforceableBy(algorithm, windowed);
        Vertx vertx = options.vertx()
                .orElseThrow(
                        () -> new LimiterException(
                                "the redis limiter backend talks to Redis "
                                        + "through Vert.x, and no Vert.x instance was given: pass one with LimiterOptions.withVertx(vertx)"));
        RedisSettings settings = RedisSettings.from(options.settings());
        Optional<Leasing> leasing = Leasing.from(options.settings());
        AlgorithmScript script = scripts.apply(spec);
        RedisRateLimiter exact = new RedisRateLimiter(
                spec, options.scope(), script, RedisEndpoint.open(vertx, settings), options.clock());
        return leasing.<RateLimiter>map(
                        lease -> new LeasedRateLimiter(exact, lease, options.clock(), script.capacity()))
                .orElse(exact);
    }

    @Override
    public String toString() {
        return algorithm + "@" + BACKEND;
    }
}
