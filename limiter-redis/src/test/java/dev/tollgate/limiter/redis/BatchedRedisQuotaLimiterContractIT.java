package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.QuotaLimiter;
import io.vertx.core.Vertx;

/**
 * The quota contract suite with every call asked on an event loop, as the gateway asks them: decisions that meet
 * there go to Redis in one batch.
 */
class BatchedRedisQuotaLimiterContractIT extends RedisQuotaLimiterContractIT {

    @Override
    QuotaLimiter asked(QuotaLimiter limiter, Vertx on) {
        return new OnLoop(limiter, OnEventLoop.eventLoop(on));
    }
}
