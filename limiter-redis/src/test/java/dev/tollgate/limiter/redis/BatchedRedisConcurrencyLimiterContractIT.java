package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.ConcurrencyLimiter;
import io.vertx.core.Vertx;

/**
 * The concurrency contract suite with every call asked on an event loop, one per Vert.x instance, as the gateway
 * asks them: acquisitions and releases that meet there go to Redis in one batch.
 */
class BatchedRedisConcurrencyLimiterContractIT extends RedisConcurrencyLimiterContractIT {

    @Override
    ConcurrencyLimiter asked(ConcurrencyLimiter limiter, Vertx on) {
        return new OnLoop(limiter, OnEventLoop.eventLoop(on));
    }
}
