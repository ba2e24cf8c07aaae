package dev.tollgate.limiter.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the {@code local} backend adds to the contract's reservations: a cancelled one gives its permits back exactly. */
class LocalReservationTest {

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"token-bucket", "leaky-bucket", "gcra"})
    void aCancelledReservationGivesItsPlaceToTheNextCaller(String algorithm) {
        LocalRateLimiter limiter = limiter(algorithm);
        assertThat(limiter.tryReserve("k", 1, MAX_DELAY).delay()).isZero();
        assertThat(limiter.tryReserve("k", 1, MAX_DELAY).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.tryReserve("k", 1, MAX_DELAY).delay()).isEqualTo(Duration.ofSeconds(2));

        clock.advance(Duration.ofMillis(500));
        limiter.cancelReservation("k", 1);
        Decision next = limiter.tryReserve("k", 1, MAX_DELAY);
        assertThat(next.delay())
                .as("due when the cancelled one was, 2 s after the first")
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(limiter.tryReserve("k", 1, MAX_DELAY).delay()).isEqualTo(Duration.ofMillis(2500));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"token-bucket", "gcra"})
    void cancellingForAKeyNotHeldChangesNothing(String algorithm) {
        LocalRateLimiter limiter = limiter(algorithm);
        limiter.cancelReservation("never-seen", 1);
        assertThat(limiter.trackedKeys()).isZero();
        assertThat(limiter.tryAcquire("k", 1).allowed()).isTrue();
        limiter.cancelReservation("k", 1);
        assertThat(limiter.tryAcquire("k", 1).allowed())
                .as("a permit taken without a wait is given back as well, to a bucket no fuller than empty")
                .isTrue();
        limiter.cancelReservation("k", 1);
        limiter.cancelReservation("k", 1);
        assertThat(limiter.peekNow("k").remaining())
                .as("never more than the burst")
                .isEqualTo(1);
    }

    private LocalRateLimiter limiter(String algorithm) {
        return (LocalRateLimiter) LimiterRegistry.fromServiceLoader()
                .provider(algorithm, "local")
                .create(
                        LimitSpec.of(algorithm, 1, Duration.ofSeconds(1)),
                        LimiterOptions.defaults().withClock(clock));
    }
}
