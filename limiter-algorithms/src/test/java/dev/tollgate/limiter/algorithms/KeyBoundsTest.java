package dev.tollgate.limiter.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyBoundsTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    private LocalRateLimiter limiter(String algorithm, ManualClock clock, LimiterOptions options) {
        return (LocalRateLimiter)
                registry.create(LimitSpec.of(algorithm, 10, Duration.ofHours(1)), "local", options.withClock(clock));
    }

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
    void aFloodOfDistinctKeysNeverHoldsMoreThanTheMaximum(String algorithm) throws Exception {
        ManualClock clock = ManualClock.at(START);
        LocalRateLimiter limiter =
                limiter(algorithm, clock, LimiterOptions.defaults().withMaxKeys(1_000));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> floods = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                floods.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        limiter.tryAcquire("flood-" + thread + "-" + i, 1);
                    }
                }));
            }
            for (Future<?> flood : floods) {
                flood.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(1_000);
    }

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
    void keysWhoseWindowHasPassedAreDroppedAndTheLimitStillHolds(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        LocalRateLimiter limiter = limiter(algorithm, clock, LimiterOptions.defaults());
        for (int i = 0; i < 500; i++) {
            limiter.tryAcquire("old-" + i, 1);
        }
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("busy", 1);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(501);
        clock.advance(Duration.ofHours(3));
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("busy", 1);
        }
        assertThat(limiter.tryAcquire("busy", 1).allowed()).isFalse();
        assertThat(limiter.evictExpired()).isEqualTo(500);
        assertThat(limiter.trackedKeys()).isEqualTo(1);
        assertThat(limiter.tryAcquire("busy", 1).allowed())
                .as("the live key keeps its state")
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed-window", "token-bucket"})
    void aKeyIdlePastTheExpiryIsForgotten(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        LimiterOptions options = LimiterOptions.defaults().withIdleExpiry(Duration.ofMinutes(10));
        LocalRateLimiter limiter = (LocalRateLimiter)
                registry.create(LimitSpec.of(algorithm, 1, Duration.ofDays(1)), "local", options.withClock(clock));
        limiter.tryAcquire("quiet", 1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.evictExpired()).isZero();
        clock.advance(Duration.ofMinutes(6));
        assertThat(limiter.evictExpired()).isEqualTo(1);
        assertThat(limiter.trackedKeys()).isZero();
    }

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
    void peekingAtUnknownKeysStoresNothing(String algorithm) {
        LocalRateLimiter limiter = limiter(algorithm, ManualClock.at(START), LimiterOptions.defaults());
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.peekNow("nobody-" + i).remaining()).isEqualTo(10);
        }
        assertThat(limiter.trackedKeys()).isZero();
    }
}
