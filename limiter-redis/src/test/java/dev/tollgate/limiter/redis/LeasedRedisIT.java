package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code leased} mode: nodes spend leases of permits taken from Redis, never granting more than Redis counted, and
 * over any window more than the limit by at most one lease per node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeasedRedisIT {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private final String prefix = RedisKeys.uniquePrefix("leased");
    private final Vertx vertx = Vertx.vertx();
    private final RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL);
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final Context loop = OnEventLoop.eventLoop(vertx);
    private final List<RateLimiter> created = new ArrayList<>();

    @Test
    void aBusyKeyIsDecidedMostlyOnTheNodeAndAdmitsExactlyTheLimit() {
        ManualClock clock = ManualClock.at(START);
        LeasedRateLimiter limiter = create(LimitSpec.of("fixed-window", 1_000, Duration.ofMinutes(1)), clock, "busy");

        int allowed = 0;
        for (int i = 0; i < 1_500; i++) {
            clock.advance(Duration.ofMillis(1));
            allowed += await(limiter.acquire("ip:10.0.0.1")).allowed() ? 1 : 0;
        }

        // one node spends every lease it takes: Redis's count is what it granted
        assertThat(allowed).isEqualTo(1_000);
        assertThat(await(limiter.peek("ip:10.0.0.1")).remaining()).isZero();
        assertThat(limiter.decisionsInRedis())
                .as("leases of up to 100 permits, and a refusal per lease time once none is left")
                .isLessThan(40);
    }

    @Test
    void aLeasedLimiterDoesNotReserveEvenForABucket() {
        LeasedRateLimiter limiter =
                create(LimitSpec.of("token-bucket", 10, Duration.ofSeconds(1)), ManualClock.at(START), "reserve");
        assertThat(limiter.reserves())
                .as("a lease is a share of the permits due now")
                .isFalse();
        assertThatThrownBy(() -> await(limiter.reserve("ip:10.0.0.3", 1, Duration.ofSeconds(1))))
                .hasCauseInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBucketsLeaseLastsItsTimeThoughTheBucketRefillsSooner() {
        ManualClock clock = ManualClock.at(START);
        // a lease of a few tokens from a bucket refilling at one a millisecond is refilled long before it is spent
        LeasedRateLimiter limiter = (LeasedRateLimiter) create(
                LimitSpec.of("token-bucket", 1_000, Duration.ofSeconds(1)).withBurst(2_000),
                clock,
                "bucket",
                new JsonObject().put("time", "1s"));
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(50));
            assertThat(await(limiter.acquire("k")).allowed()).isTrue();
        }
        // a request every 50 ms: leases of 20 after the first, one fetch a second
        assertThat(limiter.decisionsInRedis()).isLessThan(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed-window", "sliding-window-counter", "token-bucket", "gcra"})
    void overAnyWindowThreeNodesGrantTheLimitWithinOneLeaseEach(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        LimitSpec spec = LimitSpec.of(algorithm, 100, Duration.ofSeconds(10));
        List<LeasedRateLimiter> nodes =
                List.of(create(spec, clock, "shared"), create(spec, clock, "shared"), create(spec, clock, "shared"));
        long maxLease = 10;
        List<Long> grantedAt = new ArrayList<>();
        // 60 s of traffic, each node asked in turn every 5 ms: far more than the limit
        for (int step = 0; step < 12_000; step++) {
            clock.advance(Duration.ofMillis(5));
            Decision decision = await(nodes.get(step % 3).acquire("user:42"));
            if (decision.allowed()) {
                grantedAt.add(clock.epochNanos());
            }
        }
        long window = Duration.ofSeconds(10).toNanos();
        long most = 0;
        for (int first = 0; first < grantedAt.size(); first++) {
            int last = first;
            while (last + 1 < grantedAt.size() && grantedAt.get(last + 1) - grantedAt.get(first) < window) {
                last++;
            }
            most = Math.max(most, last - first + 1);
        }
        // a window's worth of the algorithm's own allowance (the buckets' burst is the limit) plus one lease per node
        assertThat(most).as("the most granted in any 10 s").isLessThanOrEqualTo(2 * 100 + 3 * maxLease);
        if (algorithm.equals("fixed-window")) {
            // a lease ends with its window: every window is held to its limit
            for (long start = START.toEpochMilli() * 1_000_000; start < clock.epochNanos(); start += window) {
                long from = start;
                assertThat(grantedAt.stream()
                                .filter(t -> t >= from && t < from + window)
                                .count())
                        .isLessThanOrEqualTo(100);
            }
        }
        // and the other way: over the whole minute, no more is lost than what the nodes held when leases ended
        assertThat(grantedAt.size()).isGreaterThanOrEqualTo(algorithm.equals("fixed-window") ? 6 * (100 - 30) : 500);
        // a refusal stands locally until its retry-after: a token arrives every 100 ms, a window ends every 10 s
        assertThat(nodes.stream().mapToLong(LeasedRateLimiter::decisionsInRedis).sum())
                .isLessThan(12_000 / 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {70, 90, 100})
    void aWindowLosesToUnspentLeasesAtMostOneLeasePerNode(int asked) {
        ManualClock clock = ManualClock.at(START);
        LimitSpec spec = LimitSpec.of("fixed-window", 100, Duration.ofSeconds(10));
        String scope = "under-" + asked;
        List<LeasedRateLimiter> nodes =
                List.of(create(spec, clock, scope), create(spec, clock, scope), create(spec, clock, scope));
        int allowed = 0;
        for (int step = 0; step < asked; step++) {
            clock.advance(Duration.ofMillis(10));
            allowed += await(nodes.get(step % 3).acquire("user:7")).allowed() ? 1 : 0;
        }
        // up to the limit less a lease (10) per node every request passes; past it, at most 30 are lost
        assertThat(allowed).isGreaterThanOrEqualTo(Math.min(asked, 100 - 3 * 10));
        assertThat(allowed).isLessThanOrEqualTo(asked);
    }

    @Test
    void concurrentDecisionsOnOneKeyOnAnEventLoopAdmitExactlyTheLimit() {
        ManualClock clock = ManualClock.at(START);
        LeasedRateLimiter limiter = create(LimitSpec.of("token-bucket", 50, Duration.ofMinutes(1)), clock, "loop");
        // warm the key up so that leases are more than one permit
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(1));
            await(limiter.acquire("k"));
        }
        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 100, i -> limiter.acquire("k"));
        long allowed =
                answers.stream().filter(answer -> await(answer).allowed()).count();
        assertThat(allowed + 5).isEqualTo(50);
    }

    @Test
    void aLeaseEndsAfterItsTimeAndWhatIsLeftOfItIsNotGranted() {
        ManualClock clock = ManualClock.at(START);
        LeasedRateLimiter limiter = create(LimitSpec.of("fixed-window", 1_000, Duration.ofHours(1)), clock, "ends");
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(1));
            assertThat(await(limiter.acquire("k")).allowed()).isTrue();
        }
        long before = limiter.decisionsInRedis();
        clock.advance(Duration.ofSeconds(1));
        assertThat(await(limiter.acquire("k")).allowed()).isTrue();
        assertThat(limiter.decisionsInRedis())
                .as("a fresh lease after the old one ended")
                .isEqualTo(before + 1);
    }

    @Test
    void resetForgetsTheLeaseToo() {
        ManualClock clock = ManualClock.at(START);
        LeasedRateLimiter limiter = create(LimitSpec.of("fixed-window", 5, Duration.ofHours(1)), clock, "reset");
        for (int i = 0; i < 5; i++) {
            assertThat(await(limiter.acquire("k")).allowed()).isTrue();
        }
        assertThat(await(limiter.acquire("k")).allowed()).isFalse();
        await(limiter.reset("k"));
        assertThat(await(limiter.acquire("k")).allowed()).isTrue();
        assertThat(limiter.leasedKeys()).isEqualTo(1);
    }

    @Test
    void pastMaxKeysANewKeyIsDecidedInRedisAlone() {
        ManualClock clock = ManualClock.at(START);
        LeasedRateLimiter limiter = (LeasedRateLimiter) create(
                LimitSpec.of("fixed-window", 5, Duration.ofHours(1)),
                clock,
                "many",
                new JsonObject().put("maxKeys", 10));
        for (int i = 0; i < 50; i++) {
            assertThat(await(limiter.acquire("client-" + i)).allowed()).isTrue();
        }
        assertThat(limiter.leasedKeys()).isLessThanOrEqualTo(10);
        for (int i = 0; i < 5; i++) {
            await(limiter.acquire("client-49"));
        }
        assertThat(await(limiter.acquire("client-49")).allowed()).isFalse();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> Leasing.from(RedisKeys.settings(new JsonObject().put("mode", "fast"))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("limiter.redis.mode");
        assertThatThrownBy(() -> Leasing.from(
                        RedisKeys.settings(new JsonObject().put("lease", new JsonObject().put("time", "1s")))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("limiter.redis.lease")
                .hasMessageContaining("mode: leased");
        assertThatThrownBy(() -> Leasing.from(RedisKeys.settings(
                        new JsonObject().put("mode", "leased").put("lease", new JsonObject().put("share", 2)))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("limiter.redis.lease.share");
        assertThatThrownBy(() -> Leasing.from(RedisKeys.settings(
                        new JsonObject().put("mode", "leased").put("lease", new JsonObject().put("time", "2m")))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("limiter.redis.lease.time");
        assertThatThrownBy(() -> Leasing.from(RedisKeys.settings(
                        new JsonObject().put("mode", "leased").put("lease", new JsonObject().put("size", 5)))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("limiter.redis.lease.size");
        assertThat(Leasing.from(RedisKeys.settings(new JsonObject().put("mode", "leased"))))
                .contains(new Leasing(Duration.ofMillis(250), 0.1, 100_000));
    }

    private LeasedRateLimiter create(LimitSpec spec, ManualClock clock, String scope) {
        return (LeasedRateLimiter) create(spec, clock, scope, new JsonObject());
    }

    private RateLimiter create(LimitSpec spec, ManualClock clock, String scope, JsonObject lease) {
        RateLimiter limiter = registry.create(
                spec,
                "redis",
                LimiterOptions.defaults()
                        .withClock(clock)
                        .withVertx(vertx)
                        .withScope(scope)
                        .withSettings(RedisKeys.settings(RedisKeys.testConfig(prefix)
                                .put("mode", "leased")
                                .put("lease", lease))));
        created.add(limiter);
        return limiter;
    }

    @AfterAll
    void deleteTheKeysAndClose() {
        try {
            created.forEach(limiter -> await(limiter.close()));
            redis.deleteAll(prefix);
            redis.close();
        } finally {
            Await.close(vertx);
        }
    }
}
