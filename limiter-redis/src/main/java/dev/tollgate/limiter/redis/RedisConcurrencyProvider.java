package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * {@code concurrency} on the {@code redis} backend: at most {@code limit} slots per key held across every node,
 * each slot expiring a slot timeout (the spec's window) after it was taken ({@link RedisConcurrencyLimiter}).
 */
public final class RedisConcurrencyProvider implements LimiterProvider {

    @Override
    public String name() {
        return ConcurrencyLimiter.ALGORITHM;
    }

    @Override
    public String backend() {
        return RedisLimiterProvider.BACKEND;
    }

    /**
     * @throws SettingsException for a spec this backend cannot enforce (keyed by the spec's field) or a setting it
     *     cannot use (keyed in full)
     * @throws LimiterException when {@code options} carry no Vert.x instance
     */
    @Override
    public ConcurrencyLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        spec.checkEnforceableBy(ConcurrencyLimiter.ALGORITHM, true);
        // refused before any I/O
        new ConcurrencyScript(spec);
        Vertx vertx = options.vertx()
                .orElseThrow(() -> new LimiterException("the redis limiter backend talks to Redis through Vert.x, and"
                        + " no Vert.x instance was given: pass one with LimiterOptions.withVertx(vertx)"));
        RedisSettings settings = RedisSettings.from(options.settings());
        return new RedisConcurrencyLimiter(spec, options.scope(), RedisEndpoint.open(vertx, settings), options.clock());
    }

    @Override
    public String toString() {
        return ConcurrencyLimiter.ALGORITHM + "@" + RedisLimiterProvider.BACKEND;
    }
}
