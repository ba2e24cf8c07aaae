package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong ticker = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 500, ticker::get);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        for (int i = 0; i < 2; i++) {
            assertThat(breaker.tryPass()).isTrue();
            breaker.onFailure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryPass()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.tryPass()).isFalse();
    }

    @Test
    void aSuccessStartsTheCountAgain() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void letsNothingThroughUntilTheCooldownHasPassed() {
        open();
        ticker.addAndGet(499);
        for (int i = 0; i < 100; i++) {
            assertThat(breaker.tryPass()).isFalse();
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void letsOneProbeThroughAfterTheCooldownAndClosesOnItsSuccess() {
        open();
        ticker.addAndGet(500);
        assertThat(breaker.tryPass()).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.tryPass()).as("while the probe is out").isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryPass()).isTrue();
    }

    @Test
    void aFailedProbeOpensTheCircuitForAnotherCooldown() {
        open();
        ticker.addAndGet(600);
        assertThat(breaker.tryPass()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        ticker.addAndGet(499);
        assertThat(breaker.tryPass()).isFalse();
        ticker.addAndGet(1);
        assertThat(breaker.tryPass()).isTrue();
    }

    @Test
    void afterClosingItTakesTheFullThresholdToOpenAgain() {
        open();
        ticker.addAndGet(500);
        breaker.tryPass();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void refusesAThresholdBelowOne() {
        assertThatThrownBy(() -> new CircuitBreaker(0, 1, ticker::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failureThreshold");
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.tryPass();
            breaker.onFailure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }
}
