package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code redis} backend answers as the {@code local} one does: random traffic on a
 * millisecond-aligned clock (bursts, pauses, several permits at once, peeks, a clock that steps
 * back) gets the same admissions, limits, remaining and counts from both, and the same reset and
 * retry-after up to the Redis backend's 1 µs resolution: the local time rounded up to a microsecond.
 * Each run goes once with every decision sent alone and once batched: each step's decision asked on an
 * event loop for three keys at once, which go in one batch, and each key answered as the local backend
 * answers the one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalAgreementIT {

    private static final List<String> ALGORITHMS = List.of(
            "fixed-window", "sliding-window-log", "sliding-window-counter", "token-bucket", "leaky-bucket", "gcra");
    private static final List<Duration> WINDOWS = List.of(
            Duration.ofMillis(1),
            Duration.ofMillis(7),
            Duration.ofMillis(250),
            Duration.ofSeconds(1),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            Duration.ofMinutes(1));

    private final String prefix = RedisKeys.uniquePrefix("agreement");
    private final Vertx vertx = Vertx.vertx();
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    Stream<Arguments> runs() {
        return ALGORITHMS.stream()
                .flatMap(algorithm -> Stream.of(1L, 2L, 3L, 4L, 5L, 6L)
                        .flatMap(
                                seed -> Stream.of(false, true).map(batched -> Arguments.of(algorithm, seed, batched))));
    }

    @ParameterizedTest(name = "{0}, seed {1}, batched {2}")
    @MethodSource("runs")
    void answersAsTheLocalBackendDoes(String algorithm, long seed, boolean batched) {
        Random random = new Random(seed);
        Duration window = WINDOWS.get(random.nextInt(WINDOWS.size()));
        long limit = 1L + random.nextInt(12);
        boolean bucket = algorithm.endsWith("bucket") || algorithm.equals("gcra");
        long burst = bucket ? limit + random.nextInt((int) limit * 2 + 1) : limit;
        long capacity = bucket ? burst : limit;
        LimitSpec spec = LimitSpec.of(algorithm, limit, window)
                .withBurst(burst)
                .withCost(1 + random.nextInt((int) Math.min(capacity, 3)));
        ManualClock clock = ManualClock.at(Instant.parse("2027-03-04T05:06:07.089Z"));
        RateLimiter local =
                registry.create(spec, "local", LimiterOptions.defaults().withClock(clock));
        RateLimiter redis = registry.create(
                spec,
                "redis",
                LimiterOptions.defaults()
                        .withClock(clock)
                        .withVertx(vertx)
                        .withSettings(RedisKeys.settings(RedisKeys.testConfig(prefix))));
        String key = "ip:198.51.100." + seed + ":" + algorithm + (batched ? ":batched" : "");
        List<String> keys = batched ? List.of(key, key + ":2", key + ":3") : List.of(key);
        Context loop = OnEventLoop.eventLoop(vertx);
        RedisEndpoint endpoint = ((RedisRateLimiter) redis).endpoint();
        long batchedBefore = endpoint.decisionsBatched();
        long windowMillis = window.toMillis();
        int[] admitted = new int[2];
        try {
            for (int step = 0; step < 300; step++) {
                int move = random.nextInt(10);
                if (move < 4) {
                    clock.advance(Duration.ofMillis(random.nextLong(Math.max(1, windowMillis * 6 / 10) + 1)));
                } else if (move == 4) {
                    clock.advance(Duration.ofMillis(random.nextLong(windowMillis * 3 + 1)));
                } else if (move == 5 && random.nextInt(8) == 0) {
                    clock.advance(Duration.ofMillis(-random.nextLong(windowMillis * 2 + 1)));
                }
                boolean peek = random.nextInt(6) == 0;
                long permits = 1L + random.nextInt((int) Math.min(capacity, 4));
                Decision expected = await(peek ? local.peek(key) : local.acquire(key, permits));
                List<Future<Decision>> answers = batched
                        ? OnEventLoop.inOneTurn(
                                loop,
                                keys.size(),
                                i -> peek ? redis.peek(keys.get(i)) : redis.acquire(keys.get(i), permits))
                        : List.of(peek ? redis.peek(key) : redis.acquire(key, permits));
                for (int i = 0; i < keys.size(); i++) {
                    Decision actual = await(answers.get(i));
                    String what = (peek ? "peek" : "acquire " + permits) + " of " + keys.get(i) + " at step " + step
                            + ", " + clock + ", " + spec;
                    assertThat(actual.allowed()).as("allowed, " + what).isEqualTo(expected.allowed());
                    assertThat(actual.limit()).as("limit, " + what).isEqualTo(expected.limit());
                    assertThat(actual.remaining()).as("remaining, " + what).isEqualTo(expected.remaining());
                    assertThat(actual.count()).as("count, " + what).isEqualTo(expected.count());
                    assertThat(actual.resetEpochNanos())
                            .as("reset, " + what)
                            .isEqualTo(upToMicros(expected.resetEpochNanos()));
                    assertThat(actual.retryAfterNanos())
                            .as("retry-after, " + what)
                            .isEqualTo(upToMicros(expected.retryAfterNanos()));
                }
                admitted[expected.allowed() ? 1 : 0]++;
            }
            assertThat(admitted).as("denied and admitted decisions in the run").doesNotContain(0);
            assertThat(endpoint.decisionsBatched() - batchedBefore)
                    .as("decisions sent in batches")
                    .isEqualTo(batched ? 300L * keys.size() : 0);
        } finally {
            await(redis.close());
        }
    }

    private static long upToMicros(long nanos) {
        return Math.floorDiv(nanos + 999, 1000) * 1000;
    }

    @AfterAll
    void deleteTheKeysAndClose() {
        try (RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL)) {
            redis.deleteAll(prefix);
        } finally {
            Await.close(vertx);
        }
    }
}
