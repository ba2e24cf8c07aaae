package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaLimiterContract;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The quota contract suite on the {@code redis} backend, against the local Redis. {@link
 * BatchedRedisQuotaLimiterContractIT} runs it again with every call asked on an event loop, where decisions go in
 * batches.
 */
class RedisQuotaLimiterContractIT extends QuotaLimiterContract {

    private final String prefix = RedisKeys.uniquePrefix("quota");
    final Vertx vertx = Vertx.vertx();
    final Vertx otherNode = Vertx.vertx();
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final List<QuotaLimiter> created = new ArrayList<>();

    @Override
    protected LimiterProvider provider() {
        return registry.provider(QuotaLimiter.ALGORITHM, "redis");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return options(clock, scope, vertx);
    }

    @Override
    protected boolean keepsCountsAcrossInstances() {
        return true;
    }

    @Override
    protected QuotaLimiter create(long limit, QuotaPeriod period, NanoClock clock, String scope) {
        QuotaLimiter limiter = (QuotaLimiter) provider()
                .create(
                        QuotaLimiter.spec(limit, period, 1),
                        options(clock, scope, vertx).withQuotaPeriod(period));
        synchronized (created) {
            created.add(limiter);
        }
        return asked(limiter, vertx);
    }

    private LimiterOptions options(NanoClock clock, String scope, Vertx on) {
        return LimiterOptions.defaults()
                .withClock(clock)
                .withScope(scope)
                .withVertx(on)
                .withSettings(RedisKeys.settings(RedisKeys.testConfig(prefix)));
    }

    /** The limiter the suite asks: {@code limiter} itself, asked from the calling thread. */
    QuotaLimiter asked(QuotaLimiter limiter, Vertx on) {
        return limiter;
    }

    @Test
    void twoNodesShareACountKeyedByThePeriodsStartAndExpiringAfterItsEnd() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-05-10T12:00:00Z"));
        QuotaPeriod monthly = QuotaPeriod.parse("month", ZoneId.of("Europe/Paris"));
        LimitSpec spec = QuotaLimiter.spec(3, monthly, 1);
        QuotaLimiter here = (QuotaLimiter)
                provider().create(spec, options(clock, "nodes", vertx).withQuotaPeriod(monthly));
        QuotaLimiter there = (QuotaLimiter)
                provider().create(spec, options(clock, "nodes", otherNode).withQuotaPeriod(monthly));
        created.add(here);
        created.add(there);
        String key = key("nodes");
        await(here.acquire(key, 2));
        Decision last = await(there.acquire(key, 1));
        assertThat(last.count()).isEqualTo(3);
        assertThat(await(here.acquire(key, 1)).allowed()).isFalse();
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            // May starts at 2027-04-30T22:00:00Z in Paris
            List<String> keys =
                    redis.keys(prefix).stream().filter(k -> k.contains(key)).toList();
            assertThat(keys)
                    .singleElement()
                    .satisfies(k -> assertThat(k)
                            .endsWith("}:quota:"
                                    + Instant.parse("2027-04-30T22:00:00Z").getEpochSecond()));
            long ttl =
                    redis.send(io.vertx.redis.client.Command.PTTL, keys.get(0)).toLong();
            long toEnd = Instant.parse("2027-05-31T22:00:00Z").toEpochMilli()
                    - Instant.parse("2027-05-10T12:00:00Z").toEpochMilli();
            assertThat(ttl).isGreaterThan(toEnd - 60_000).isLessThanOrEqualTo(toEnd + 3_600_000);
        }
    }

    @Test
    void aRollingWindowIsOneHashPerKeyWithAFieldPerDayDroppedWhenTheDayLeaves() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-05-10T12:00:00Z"));
        QuotaPeriod week = QuotaPeriod.parse("7d", ZoneId.of("Europe/Paris"));
        LimitSpec spec = QuotaLimiter.spec(10, week, 1);
        QuotaLimiter here = (QuotaLimiter)
                provider().create(spec, options(clock, "rolling", vertx).withQuotaPeriod(week));
        QuotaLimiter there = (QuotaLimiter)
                provider().create(spec, options(clock, "rolling", otherNode).withQuotaPeriod(week));
        created.add(here);
        created.add(there);
        String key = key("rolling-hash");
        long may10 = java.time.LocalDate.of(2027, 5, 10).toEpochDay();
        await(here.acquire(key, 3));
        await(there.acquire(key, 2));
        clock.set(Instant.parse("2027-05-12T12:00:00Z"));
        assertThat(await(there.acquire(key, 4)).count()).isEqualTo(9);
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            List<String> keys =
                    redis.keys(prefix).stream().filter(k -> k.contains(key)).toList();
            assertThat(keys).singleElement().satisfies(k -> assertThat(k).endsWith("}:quota:rolling"));
            String hash = keys.get(0);
            assertThat(redis.send(io.vertx.redis.client.Command.HGET, hash, may10)
                            .toLong())
                    .isEqualTo(5);
            assertThat(redis.send(io.vertx.redis.client.Command.HGET, hash, may10 + 2)
                            .toLong())
                    .isEqualTo(4);
            long ttl = redis.send(io.vertx.redis.client.Command.PTTL, hash).toLong();
            assertThat(ttl)
                    .as("a day more than the window, and the grace")
                    .isGreaterThan(java.time.Duration.ofDays(8).toMillis() - 60_000)
                    .isLessThanOrEqualTo(java.time.Duration.ofDays(8).toMillis() + 3_600_000);

            // the 10th leaves the window when the 17th starts in Paris
            clock.set(Instant.parse("2027-05-16T21:59:59Z"));
            Decision refused = await(here.acquire(key, 2));
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfterSeconds()).isEqualTo(1);
            assertThat(redis.send(io.vertx.redis.client.Command.HLEN, hash).toLong())
                    .isEqualTo(2);
            clock.set(Instant.parse("2027-05-16T22:00:00Z"));
            Decision admitted = await(here.acquire(key, 2));
            assertThat(admitted.allowed()).isTrue();
            assertThat(admitted.count()).isEqualTo(6);
            assertThat(redis.send(io.vertx.redis.client.Command.HEXISTS, hash, may10)
                            .toLong())
                    .as("the day that left the window is dropped")
                    .isZero();
            assertThat(redis.send(io.vertx.redis.client.Command.HLEN, hash).toLong())
                    .isEqualTo(2);
            await(there.reset(key));
            assertThat(redis.send(io.vertx.redis.client.Command.EXISTS, hash).toLong())
                    .isZero();
        }
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
    record OnLoop(QuotaLimiter limiter, Context loop) implements QuotaLimiter {

        @Override
        public LimitSpec spec() {
            return limiter.spec();
        }

        @Override
        public QuotaPeriod period() {
            return limiter.period();
        }

        @Override
        public Future<Decision> acquire(String key, long permits) {
            return onLoop(() -> limiter.acquire(key, permits));
        }

        @Override
        public Future<Decision> peek(String key) {
            return onLoop(() -> limiter.peek(key));
        }

        @Override
        public Future<Void> reset(String key) {
            return onLoop(() -> limiter.reset(key));
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }

        private <T> Future<T> onLoop(Supplier<Future<T>> call) {
            return OnEventLoop.ask(loop, call);
        }
    }
}
