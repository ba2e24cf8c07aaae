package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitSpecTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void defaultsBurstToTheLimitAndCostToOne() {
        LimitSpec spec = LimitSpec.of("token-bucket", 100, MINUTE);
        assertThat(spec.burst()).isEqualTo(100);
        assertThat(spec.cost()).isEqualTo(1);
        assertThat(spec.withBurst(200).withCost(5)).isEqualTo(new LimitSpec("token-bucket", 100, MINUTE, 200, 5));
        assertThat(spec.withBurst(200).withCost(5)).hasToString("token-bucket 100/1m burst 200 cost 5");
    }

    @Test
    void rejectsZeroNegativeAndHugeLimitsNamingTheField() {
        assertThatThrownBy(() -> LimitSpec.of("gcra", 0, MINUTE))
                .hasMessage("limit must be between 1 and 1000000000, got 0");
        assertThatThrownBy(() -> LimitSpec.of("gcra", -1, MINUTE))
                .hasMessage("limit must be between 1 and 1000000000, got -1");
        assertThatThrownBy(() -> LimitSpec.of("gcra", Long.MAX_VALUE, MINUTE))
                .hasMessageStartingWith("limit must be between");
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, MINUTE).withBurst(0))
                .hasMessageStartingWith("burst must be between");
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, MINUTE).withCost(-2))
                .hasMessageStartingWith("cost must be between");
    }

    @Test
    void rejectsWindowsOutsideAMillisecondToAYear() {
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, Duration.ZERO))
                .hasMessage("window must be between 1ms and 365d, got 0s");
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, Duration.ofSeconds(-5)))
                .hasMessage("window must be between 1ms and 365d, got -5s");
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, Duration.ofDays(366)))
                .hasMessage("window must be between 1ms and 365d, got 366d");
        assertThatThrownBy(() -> LimitSpec.of("gcra", 5, Duration.ofNanos(999_999)))
                .hasMessageStartingWith("window must be between 1ms and 365d");
    }

    @Test
    void rejectsACostNoRequestCouldEverPay() {
        assertThatThrownBy(() -> LimitSpec.of("token-bucket", 5, MINUTE).withCost(6))
                .hasMessage(
                        "cost 6 is more than the burst 5: no request could ever be admitted; raise burst or lower cost");
    }

    @Test
    void rejectsAnEmptyAlgorithm() {
        assertThatThrownBy(() -> LimitSpec.of(" ", 5, MINUTE)).hasMessage("algorithm must not be empty");
    }
}
