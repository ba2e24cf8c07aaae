package dev.tollgate.limiter;

import dev.tollgate.limiter.spi.LimiterProvider;
import io.vertx.core.Future;

/**
 * A limiter backend that is always down, as Redis is when it cannot be reached: every acquisition, peek and reset
 * fails with a {@link LimiterException}. For the tests of what a limiter's users do when no decision comes; register
 * it with a {@link LimiterRegistry} and name {@link #BACKEND} as the backend. It serves {@link #ALGORITHM}.
 */
public final class DownLimiterProvider implements LimiterProvider {

    /** The backend name this provider answers to. */
    public static final String BACKEND = "down";

    /** The algorithm it serves. */
    public static final String ALGORITHM = "fixed-window";

    @Override
    public String name() {
        return ALGORITHM;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public RateLimiter create(LimitSpec spec, LimiterOptions options) {
        return new RateLimiter() {
            @Override
            public LimitSpec spec() {
                return spec;
            }

            @Override
            public Future<Decision> acquire(String key, long permits) {
                return Future.failedFuture(new LimiterException("connection refused"));
            }

            @Override
            public Future<Decision> peek(String key) {
                return acquire(key, 1);
            }

            @Override
            public Future<Void> reset(String key) {
                return Future.failedFuture(new LimiterException("connection refused"));
            }
        };
    }
}
