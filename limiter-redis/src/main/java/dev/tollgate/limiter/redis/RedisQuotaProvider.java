package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * {@code quota} on the {@code redis} backend: at most {@code limit} permits per key in each period of
 * {@link LimiterOptions#quotaPeriod()}, counted in Redis for every node and across restarts
 * ({@link RedisQuotaLimiter}).
 */
public final class RedisQuotaProvider implements LimiterProvider {

    @Override
    public String name() {
        return QuotaLimiter.ALGORITHM;
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
    public QuotaLimiter create(LimitSpec spec, LimiterOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        spec.checkEnforceableBy(QuotaLimiter.ALGORITHM, true);
        Vertx vertx = options.vertx()
                .orElseThrow(() -> new LimiterException("the redis limiter backend talks to Redis through Vert.x, and"
                        + " no Vert.x instance was given: pass one with LimiterOptions.withVertx(vertx)"));
        RedisSettings settings = RedisSettings.from(options.settings());
        return new RedisQuotaLimiter(
                spec, options.quotaPeriod(), options.scope(), RedisEndpoint.open(vertx, settings), options.clock());
    }

    @Override
    public String toString() {
        return QuotaLimiter.ALGORITHM + "@" + RedisLimiterProvider.BACKEND;
    }
}
