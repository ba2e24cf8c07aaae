package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract suite on the {@code redis} backend with every decision asked on an event loop, one per
 * Vert.x instance, as the gateway asks them: decisions that meet there, such as the suite's concurrent
 * acquirers, go to Redis in batches.
 */
class BatchedRedisRateLimiterContractIT extends RedisRateLimiterContractIT {

    private final Set<RedisEndpoint> endpoints = ConcurrentHashMap.newKeySet();

    @Override
    RateLimiter asked(RateLimiter limiter, Vertx on) {
        endpoints.add(((RedisRateLimiter) limiter).endpoint());
        return new OnEventLoop(limiter, on);
    }

    @AfterAll
    void someDecisionsWentInBatches() {
        assertThat(endpoints.stream().mapToLong(RedisEndpoint::decisionsBatched).sum())
                .as("decisions sent in batches of more than one")
                .isPositive();
    }
}
