package dev.tollgate.limiter.algorithms;

import static dev.tollgate.limiter.RateLimiterContract.assertRefusedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalProvidersTest {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @Test
    void serviceLoaderFindsTheSixRateAlgorithmsAndConcurrencyOnTheLocalBackend() {
        assertThat(registry.backends()).containsExactly("local");
        assertThat(registry.algorithms("local"))
                .containsExactly(
                        "concurrency",
                        "fixed-window",
                        "gcra",
                        "leaky-bucket",
                        "quota",
                        "sliding-window-counter",
                        "sliding-window-log",
                        "token-bucket");
    }

    @Test
    void anUnknownAlgorithmListsTheKnownOnes() {
        assertThatThrownBy(() -> registry.provider("token-buckit", "local"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage(
                        "unknown algorithm 'token-buckit' for backend 'local'; known: concurrency, fixed-window, gcra, "
                                + "leaky-bucket, quota, sliding-window-counter, sliding-window-log, token-bucket");
    }

    @Test
    void windowAlgorithmsRejectACostAboveTheLimit() {
        LimitSpec spec = LimitSpec.of("fixed-window", 5, Duration.ofMinutes(1))
                .withBurst(10)
                .withCost(8);
        assertRefusedAt(() -> registry.create(spec, "local", LimiterOptions.defaults()), "cost")
                .hasMessageContaining("cost 8 is more than the limit 5");
    }

    @Test
    void bucketAlgorithmsTakeACostAboveTheLimitUpToTheBurst() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));
        LimitSpec spec = LimitSpec.of("token-bucket", 5, Duration.ofMinutes(1))
                .withBurst(10)
                .withCost(8);
        LocalRateLimiter limiter = (LocalRateLimiter)
                registry.create(spec, "local", LimiterOptions.defaults().withClock(clock));
        assertThat(limiter.tryAcquire("k", 8).allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 8).allowed()).isFalse();
    }

    @Test
    void aProviderRefusesASpecOfAnotherAlgorithm() {
        LimitSpec spec = LimitSpec.of("gcra", 5, Duration.ofMinutes(1));
        assertRefusedAt(() -> new TokenBucketProvider().create(spec, LimiterOptions.defaults()), "algorithm")
                .hasMessageContaining("token-bucket provider cannot build a gcra limiter");
    }

    @Test
    void slidingWindowLogRefusesALimitItCannotHoldAndNamesTheAlternative() {
        LimitSpec spec = LimitSpec.of("sliding-window-log", 100_001, Duration.ofMinutes(1));
        assertRefusedAt(() -> registry.create(spec, "local", LimiterOptions.defaults()), "limit")
                .hasMessageContaining("limit 100001")
                .hasMessageContaining("sliding-window-counter");
    }

    @Test
    void bucketsWithAnOddWindowAndAHugeBurstAreRefusedClearly() {
        // a year less 1 ms cannot use whole seconds, and a prime burst keeps the fixed point too wide
        LimitSpec spec = LimitSpec.of("gcra", 999_999_937, Duration.ofDays(365).minusMillis(1));
        assertRefusedAt(() -> registry.create(spec, "local", LimiterOptions.defaults()), "burst")
                .hasMessageContaining("gcra cannot refill a burst of 999999937");
    }

    @Test
    void aTokenBucketOverAYearRefillsInWholeSecondsWithoutOverflow() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));
        LimitSpec spec = LimitSpec.of("token-bucket", 999_999_937, LimitSpec.MAX_WINDOW);
        LocalRateLimiter limiter = (LocalRateLimiter)
                registry.create(spec, "local", LimiterOptions.defaults().withClock(clock));
        assertThat(limiter.tryAcquire("k", 999_999_937).allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 1).retryAfterSeconds()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("k", 31).allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 1).allowed()).isFalse();
    }
}
