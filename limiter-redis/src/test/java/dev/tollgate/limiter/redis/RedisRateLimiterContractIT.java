package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.RateLimiterContract;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract suite on the {@code redis} backend, against the local Redis, each algorithm found
 * through ServiceLoader. The concurrent acquirers share one limit through two Vert.x instances, so
 * through two clients, as two nodes would. Here the test's threads ask, outside any event loop, so each
 * decision is sent alone; {@link BatchedRedisRateLimiterContractIT} runs the suite again with every
 * decision asked on an event loop, where they go in batches.
 */
class RedisRateLimiterContractIT extends RateLimiterContract {

    private final String prefix = RedisKeys.uniquePrefix("contract");
    final Vertx vertx = Vertx.vertx();
    final Vertx otherNode = Vertx.vertx();
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final List<RateLimiter> created = new ArrayList<>();

    @Override
    protected boolean givesReservationsBack() {
        return true;
    }

    @Override
    protected LimiterProvider provider(String algorithm) {
        return registry.provider(algorithm, "redis");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return options(clock, scope, vertx);
    }

    @Override
    protected RateLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        return create(spec, clock, scope, vertx);
    }

    @Override
    protected List<RateLimiter> createShared(LimitSpec spec, NanoClock clock, int count) {
        RateLimiter here = create(spec, clock, LimiterOptions.DEFAULT_SCOPE, vertx);
        RateLimiter there = create(spec, clock, LimiterOptions.DEFAULT_SCOPE, otherNode);
        List<RateLimiter> shared = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shared.add(i % 2 == 0 ? here : there);
        }
        return shared;
    }

    private LimiterOptions options(NanoClock clock, String scope, Vertx on) {
        return LimiterOptions.defaults()
                .withClock(clock)
                .withScope(scope)
                .withVertx(on)
                .withSettings(RedisKeys.settings(RedisKeys.testConfig(prefix)));
    }

    private RateLimiter create(LimitSpec spec, NanoClock clock, String scope, Vertx on) {
        RateLimiter limiter = provider(spec.algorithm()).create(spec, options(clock, scope, on));
        synchronized (created) {
            created.add(limiter);
        }
        return asked(limiter, on);
    }

    /** The limiter the suite asks: {@code limiter} itself, asked from the calling thread. */
    RateLimiter asked(RateLimiter limiter, Vertx on) {
        return limiter;
    }

    @AfterAll
    void deleteTheKeysAndClose() {
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            assertThat(redis.deleteAll(prefix))
                    .as("keys written under " + prefix)
                    .isPositive();
            assertThat(redis.keys(prefix)).isEmpty();
        } finally {
            created.forEach(limiter -> await(limiter.close()));
            Await.close(vertx, otherNode);
        }
    }
}
