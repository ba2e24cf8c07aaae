package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decisions asked together on an event loop go to Redis in one call and are decided one after the
 * other, each exactly as alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisBatchIT {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private final String prefix = RedisKeys.uniquePrefix("batch");
    private final Vertx vertx = Vertx.vertx();
    private final RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL);
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final Context loop = OnEventLoop.eventLoop(vertx);
    private final List<RateLimiter> created = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fixed-window",
                "sliding-window-log",
                "sliding-window-counter",
                "token-bucket",
                "leaky-bucket",
                "gcra"
            })
    void sixtyFourConcurrentDecisionsOnOneKeyAdmitExactlyTheLimitInTheOrderAsked(String algorithm) {
        RedisRateLimiter limiter = create(LimitSpec.of(algorithm, 10, Duration.ofMinutes(1)), 64);
        RedisEndpoint endpoint = warmedUp(limiter);
        long sent = endpoint.requestsSent();

        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 64, i -> limiter.acquire("ip:192.0.2.64"));

        assertThat(endpoint.requestsSent() - sent).as("calls to Redis").isEqualTo(1);
        for (int i = 0; i < 64; i++) {
            Decision decision = await(answers.get(i));
            assertThat(decision.allowed()).as("decision %d admitted", i).isEqualTo(i < 10);
            assertThat(decision.remaining())
                    .as("remaining after decision %d", i)
                    .isEqualTo(Math.max(0, 9 - i));
        }
    }

    @Test
    void sixtyFourDecisionsOnOneKeyInBatchesOfTwoNodesAdmitExactlyTheLimit() {
        LimitSpec spec = LimitSpec.of("token-bucket", 10, Duration.ofMinutes(1));
        RedisRateLimiter here = create(spec, 64);
        RedisEndpoint endpoint = warmedUp(here);
        long batched = endpoint.decisionsBatched();
        Vertx otherNode = Vertx.vertx();
        RedisRateLimiter there = create(spec, 64, otherNode);
        created.remove(there);
        try {
            Context otherLoop = OnEventLoop.eventLoop(otherNode);
            CompletableFuture<List<Future<Decision>>> fromThere = CompletableFuture.supplyAsync(
                    () -> OnEventLoop.inOneTurn(otherLoop, 32, i -> there.acquire("ip:192.0.2.128")));
            List<Future<Decision>> answers =
                    new ArrayList<>(OnEventLoop.inOneTurn(loop, 32, i -> here.acquire("ip:192.0.2.128")));
            answers.addAll(fromThere.join());

            assertThat(answers.stream().filter(answer -> await(answer).allowed()))
                    .hasSize(10);
            assertThat(endpoint.decisionsBatched() - batched).isEqualTo(32);
            assertThat(there.endpoint().decisionsBatched()).isEqualTo(32);
        } finally {
            await(there.close());
            Await.close(otherNode);
        }
    }

    @Test
    void theSameKeyTwiceInOneBatchSeesTheFirstDecisionsEffect() {
        RedisRateLimiter limiter = create(LimitSpec.of("fixed-window", 4, Duration.ofMinutes(1)), 64);
        RedisEndpoint endpoint = warmedUp(limiter);
        long sent = endpoint.requestsSent();

        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 4, i -> switch (i) {
            case 0 -> limiter.acquire("ip:192.0.2.2", 3);
            case 1 -> limiter.acquire("ip:192.0.2.2", 2);
            case 2 -> limiter.peek("ip:192.0.2.2");
            default -> limiter.acquire("ip:192.0.2.2", 1);
        });

        assertThat(endpoint.requestsSent() - sent).as("calls to Redis").isEqualTo(1);
        assertThat(await(answers.get(0))).satisfies(d -> {
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(1);
        });
        assertThat(await(answers.get(1))).as("2 more of 4, after 3").satisfies(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.remaining()).isEqualTo(1);
        });
        assertThat(await(answers.get(2)).remaining()).isEqualTo(1);
        assertThat(await(answers.get(3))).satisfies(d -> {
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isZero();
        });
    }

    @Test
    void aFullBatchIsSentAtOnceAndTheRestInTheNext() {
        RedisRateLimiter limiter = create(LimitSpec.of("token-bucket", 10, Duration.ofMinutes(1)), 4);
        RedisEndpoint endpoint = warmedUp(limiter);
        long sent = endpoint.requestsSent();
        long batched = endpoint.decisionsBatched();

        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 10, i -> limiter.acquire("ip:192.0.2." + i));

        assertThat(endpoint.requestsSent() - sent)
                .as("calls to Redis for 4, 4 and 2 decisions")
                .isEqualTo(3);
        assertThat(endpoint.decisionsBatched() - batched).isEqualTo(10);
        for (Future<Decision> answer : answers) {
            assertThat(await(answer).remaining()).isEqualTo(9);
        }
    }

    @Test
    void aDecisionAskedOutsideAnEventLoopIsSentAlone() {
        RedisRateLimiter limiter = create(LimitSpec.of("gcra", 10, Duration.ofMinutes(1)), 64);
        RedisEndpoint endpoint = warmedUp(limiter);
        long sent = endpoint.requestsSent();
        long batched = endpoint.decisionsBatched();

        // the test's own thread, then a worker's: executeBlocking's code runs with the event loop's context current,
        // and waits there for its answer
        Decision first = await(limiter.acquire("ip:192.0.2.99"));
        Decision second = await(vertx.executeBlocking(() -> await(limiter.acquire("ip:192.0.2.99"))));

        assertThat(first.remaining()).isEqualTo(9);
        assertThat(second.remaining()).isEqualTo(8);
        assertThat(endpoint.requestsSent() - sent).isEqualTo(2);
        assertThat(endpoint.decisionsBatched() - batched).isZero();
    }

    @Test
    void anErrorOnOneKeyFailsThatDecisionAloneAndTheOthersAreDecided() {
        RedisRateLimiter limiter = create(LimitSpec.of("token-bucket", 10, Duration.ofMinutes(1)), 64);
        RedisEndpoint endpoint = warmedUp(limiter);
        redis.send(Command.RPUSH, limiter.redisKeys("ip:192.0.2.13")[0], "not a bucket");
        long sent = endpoint.requestsSent();

        List<Future<Decision>> answers =
                OnEventLoop.inOneTurn(loop, 3, i -> limiter.acquire(i == 1 ? "ip:192.0.2.13" : "ip:192.0.2.1" + i));

        assertThat(endpoint.requestsSent() - sent).as("calls to Redis").isEqualTo(1);
        assertThat(await(answers.get(0)).remaining()).isEqualTo(9);
        assertThat(failure(answers.get(1)))
                .isInstanceOf(LimiterException.class)
                .hasMessageContaining("refused the command")
                .hasMessageContaining("WRONGTYPE");
        assertThat(await(answers.get(2)).remaining()).isEqualTo(9);
        assertThat(limiter.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void withABatchOfOneEveryDecisionIsSentAlone() {
        RedisRateLimiter limiter = create(LimitSpec.of("sliding-window-log", 3, Duration.ofMinutes(1)), 1);
        RedisEndpoint endpoint = warmedUp(limiter);
        long sent = endpoint.requestsSent();

        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 5, i -> limiter.acquire("ip:192.0.2.5"));

        assertThat(endpoint.requestsSent() - sent).as("calls to Redis").isEqualTo(5);
        assertThat(endpoint.decisionsBatched()).isZero();
        assertThat(answers.stream().filter(answer -> await(answer).allowed())).hasSize(3);
    }

    @Test
    void decisionsOfARollingQuotaInOneBatchSeeEachOthersCountsPerDay() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-05-12T12:00:00Z"));
        QuotaPeriod window = QuotaPeriod.parse("3d", ZoneOffset.UTC);
        RedisQuotaLimiter limiter = (RedisQuotaLimiter) new RedisQuotaProvider()
                .create(
                        QuotaLimiter.spec(5, window, 1),
                        LimiterOptions.defaults()
                                .withClock(clock)
                                .withScope("batched-rolling")
                                .withVertx(vertx)
                                .withQuotaPeriod(window)
                                .withSettings(RedisKeys.settings(
                                        RedisKeys.testConfig(prefix).put("batch", 64))));
        created.add(limiter);
        OnEventLoop.inOneTurn(loop, 2, i -> limiter.peek("warm-up")).forEach(answer -> await(answer));
        clock.set(Instant.parse("2027-05-10T12:00:00Z"));
        await(limiter.acquire("ip:192.0.2.3", 2));
        clock.set(Instant.parse("2027-05-12T12:00:00Z"));
        RedisEndpoint endpoint = limiter.endpoint();
        long sent = endpoint.requestsSent();

        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 6, i -> limiter.acquire("ip:192.0.2.3", 1));

        assertThat(endpoint.requestsSent() - sent).as("calls to Redis").isEqualTo(1);
        for (int i = 0; i < 6; i++) {
            Decision decision = await(answers.get(i));
            assertThat(decision.allowed()).as("decision %d admitted", i).isEqualTo(i < 3);
            assertThat(decision.count()).as("count after decision %d", i).isEqualTo(Math.min(5, 3 + i));
            assertThat(decision.resetAt())
                    .as("the 10th leaves the window on the 13th")
                    .isEqualTo(Instant.parse("2027-05-13T00:00:00Z"));
        }
    }

    @Test
    void theBatchFormIsTheScriptItselfWithEachDecisionsKeysAndArguments() {
        String batch = LuaScript.BUCKET.batch().source();
        assertThat(batch)
                .contains("local function decide(key_base, argument_base)")
                .contains("redis.call('GET', KEYS[key_base + 1])")
                .contains("tonumber(ARGV[argument_base + 1])")
                .doesNotContain("KEYS[1]")
                .doesNotContain("ARGV[argument_base + 4]");
        assertThat(LuaScript.ALL)
                .contains(LuaScript.BUCKET.batch(), LuaScript.QUOTA.batch(), LuaScript.ROLLING_QUOTA.batch())
                .hasSize(14);
    }

    /** A limiter whose decisions go in batches of at most {@code batch}. */
    private RedisRateLimiter create(LimitSpec spec, int batch) {
        return create(spec, batch, vertx);
    }

    private RedisRateLimiter create(LimitSpec spec, int batch, Vertx on) {
        RedisRateLimiter limiter = (RedisRateLimiter) registry.create(
                spec,
                "redis",
                LimiterOptions.defaults()
                        .withClock(ManualClock.at(START))
                        .withVertx(on)
                        .withSettings(RedisKeys.settings(
                                RedisKeys.testConfig(prefix).put("batch", batch).put("breakerFailures", 1))));
        created.add(limiter);
        return limiter;
    }

    /** The limiter's endpoint, once its scripts are loaded and its batch form has run once. */
    private RedisEndpoint warmedUp(RedisRateLimiter limiter) {
        OnEventLoop.inOneTurn(loop, 2, i -> limiter.peek("warm-up")).forEach(answer -> await(answer));
        return limiter.endpoint();
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
