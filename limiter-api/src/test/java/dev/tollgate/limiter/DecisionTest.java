package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void retryAfterRoundsUpToWholeSecondsAndIsAtLeastOneWhenDenied() {
        assertThat(denied(2_500_000_000L).retryAfterSeconds()).isEqualTo(3);
        assertThat(denied(6 * SECOND).retryAfterSeconds()).isEqualTo(6);
        assertThat(denied(1).retryAfterSeconds()).isEqualTo(1);
        assertThat(denied(0).retryAfterSeconds()).isEqualTo(1);
        assertThat(new Decision(true, 5, 4, 1, 0, 0).retryAfterSeconds()).isZero();
    }

    @Test
    void resetIsInWholeEpochSecondsRoundedUp() {
        Decision decision = new Decision(true, 5, 4, 1, 1_700_000_000L * SECOND + 1, 0);
        assertThat(decision.resetEpochSeconds()).isEqualTo(1_700_000_001L);
        assertThat(decision.resetAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 1));
    }

    @Test
    void survivesAJsonRoundTrip() {
        Decision decision = new Decision(false, 10, 0, 10, 1_700_000_000_123_456_789L, 2_500_000_000L);
        assertThat(Decision.fromJson(decision.toJson())).isEqualTo(decision);
        assertThat(decision.toJson().getLong("retryAfter")).isEqualTo(3);
        assertThat(decision.toJson().getLong("reset")).isEqualTo(1_700_000_001L);
    }

    @Test
    void aDelaySurvivesAJsonRoundTripAndIsLeftOutWhenThereIsNone() {
        Decision delayed = new Decision(true, 10, 0, 12, 1_700_000_000_123_456_789L, 0, 1_500_000_000L);
        assertThat(delayed.toJson().getLong("delayNanos")).isEqualTo(1_500_000_000L);
        assertThat(Decision.fromJson(delayed.toJson())).isEqualTo(delayed);
        assertThat(new Decision(true, 10, 9, 1, 0, 0).toJson().containsKey("delayNanos"))
                .isFalse();
    }

    @Test
    void aRefusalHasNoDelay() {
        assertThatThrownBy(() -> new Decision(false, 10, 0, 10, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Decision denied(long retryAfterNanos) {
        return new Decision(false, 5, 0, 5, 0, retryAfterNanos);
    }
}
