package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.ConcurrencyLimiterContract;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The concurrency contract suite on the {@code redis} backend, against the local Redis: the concurrent acquirers
 * share one limit through two Vert.x instances, as two nodes would. {@link BatchedRedisConcurrencyLimiterContractIT} runs it again with every call
 * asked on an event loop, where acquisitions and releases go in batches.
 */
class RedisConcurrencyLimiterContractIT extends ConcurrencyLimiterContract {

    private final String prefix = RedisKeys.uniquePrefix("concurrency");
    final Vertx vertx = Vertx.vertx();
    final Vertx otherNode = Vertx.vertx();
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final List<ConcurrencyLimiter> created = new ArrayList<>();

    @Override
    protected LimiterProvider provider() {
        return registry.provider(ConcurrencyLimiter.ALGORITHM, "redis");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return options(clock, scope, vertx);
    }

    @Override
    protected boolean slotsExpire() {
        return true;
    }

    @Override
    protected ConcurrencyLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        return create(spec, clock, scope, vertx);
    }

    @Override
    protected List<ConcurrencyLimiter> createShared(LimitSpec spec, NanoClock clock, int count) {
        ConcurrencyLimiter here = create(spec, clock, LimiterOptions.DEFAULT_SCOPE, vertx);
        ConcurrencyLimiter there = create(spec, clock, LimiterOptions.DEFAULT_SCOPE, otherNode);
        List<ConcurrencyLimiter> shared = new ArrayList<>();
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

    private ConcurrencyLimiter create(LimitSpec spec, NanoClock clock, String scope, Vertx on) {
        ConcurrencyLimiter limiter = (ConcurrencyLimiter) provider().create(spec, options(clock, scope, on));
        synchronized (created) {
            created.add(limiter);
        }
        return asked(limiter, on);
    }

    /** The limiter the suite asks: {@code limiter} itself, asked from the calling thread. */
    ConcurrencyLimiter asked(ConcurrencyLimiter limiter, Vertx on) {
        return limiter;
    }

    @Test
    void aKeyWhoseLastSlotComesBackLeavesNoRedisKey() {
        ConcurrencyLimiter limiter = create(
                new LimitSpec(ConcurrencyLimiter.ALGORITHM, 2, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 2, 1),
                ManualClock.at(START));
        String key = key("no-key-left");
        await(limiter.acquire(key, 2));
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            assertThat(redis.keys(prefix)).anyMatch(k -> k.contains(key));
            await(limiter.release(key, 1));
            await(limiter.release(key, 1));
            assertThat(redis.keys(prefix)).noneMatch(k -> k.contains(key));
        }
    }

    @Test
    void aLimitAboveTheBackendsBoundIsRefusedNamingTheLimit() {
        LimitSpec huge = new LimitSpec(
                ConcurrencyLimiter.ALGORITHM, 100_001, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 100_001, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> provider().create(huge, options(ManualClock.at(START), "")))
                .isInstanceOfSatisfying(
                        dev.tollgate.plugin.SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("limit"));
    }

    @Test
    void takesMoreSlotsAtOnceThanOneCommandCarries() {
        ConcurrencyLimiter limiter = create(
                new LimitSpec(ConcurrencyLimiter.ALGORITHM, 5_000, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 5_000, 1),
                ManualClock.at(START));
        String key = key("many-slots");
        Decision taken = await(limiter.acquire(key, 4_999));
        assertThat(taken.count()).isEqualTo(4_999);
        assertThat(await(limiter.acquire(key, 2)).allowed()).isFalse();
        await(limiter.release(key, 4_999));
        assertThat(await(limiter.peek(key)).count()).isZero();
    }

    @Test
    void aReleaseInTheSameBatchAsAnAcquisitionFreesTheSlotForIt() {
        LimitSpec spec = new LimitSpec(ConcurrencyLimiter.ALGORITHM, 1, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 1, 1);
        RedisConcurrencyLimiter limiter =
                (RedisConcurrencyLimiter) provider().create(spec, options(ManualClock.at(START), "batch", otherNode));
        created.add(limiter);
        String key = key("same-batch");
        await(limiter.acquire(key, 1));
        Context loop = OnEventLoop.eventLoop(otherNode);
        List<Future<Object>> answers = OnEventLoop.inOneTurn(
                loop,
                3,
                i -> i == 1
                        ? limiter.release(key, 1).map(v -> "released")
                        : limiter.acquire(key, 1).map(d -> d.allowed()));
        assertThat(answers).extracting(Future::result).containsExactly(false, "released", true);
    }

    @AfterAll
    void deleteTheKeysAndClose() {
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            redis.deleteAll(prefix);
            assertThat(redis.keys(prefix)).isEmpty();
        } finally {
            created.forEach(limiter -> await(limiter.close()));
            Await.close(vertx, otherNode);
        }
    }

    /** {@code limiter}, every call asked on {@code loop}. */
    record OnLoop(ConcurrencyLimiter limiter, Context loop) implements ConcurrencyLimiter {

        @Override
        public LimitSpec spec() {
            return limiter.spec();
        }

        @Override
        public Future<Decision> acquire(String key, long permits) {
            return onLoop(() -> limiter.acquire(key, permits));
        }

        @Override
        public Future<Void> release(String key, long permits) {
            return onLoop(() -> limiter.release(key, permits));
        }

        @Override
        public Future<Decision> peek(String key) {
            return onLoop(() -> limiter.peek(key));
        }

        @Override
        public Future<Void> reset(String key) {
            return onLoop(() -> limiter.reset(key));
        }

        private <T> Future<T> onLoop(Supplier<Future<T>> call) {
            return OnEventLoop.ask(loop, call);
        }
    }
}
