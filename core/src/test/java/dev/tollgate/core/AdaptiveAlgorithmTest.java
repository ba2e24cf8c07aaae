package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two algorithms as pure units: samples in, limits out, no clock but the latencies given. */
class AdaptiveAlgorithmTest {

    private static final long MS = 1_000_000L;

    private static AimdLimit aimd(int min, int max, int initial) {
        return new AimdLimit(AdaptiveOptions.aimd(min, max, initial, Duration.ofMillis(100)));
    }

    /** Gradient without smoothing nor queue allowance unless a test sets them, so that every step is exact. */
    private static AdaptiveOptions gradientOptions(int min, int max, int initial) {
        return AdaptiveOptions.gradient(min, max, initial).withSmoothing(1).withGradient(1.5, 600, 0);
    }

    @Test
    void aimdAddsOneForAFastFineResponseWhileTheLimitIsInUse() {
        AimdLimit limit = aimd(1, 100, 10);
        limit.sample(20 * MS, 5, false);
        assertThat(limit.limit()).isEqualTo(11);
        limit.sample(100 * MS, 6, false);
        assertThat(limit.limit()).as("at the threshold is still in time").isEqualTo(12);
    }

    @Test
    void aimdDoesNotGrowALimitLessThanHalfUsed() {
        AimdLimit limit = aimd(1, 100, 10);
        limit.sample(20 * MS, 4, false);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void aimdBacksOffOnASlowResponseAndOnAFailedOne() {
        AimdLimit limit = aimd(1, 100, 20);
        limit.sample(101 * MS, 20, false);
        assertThat(limit.limit()).as("20 × 0.9").isEqualTo(18);
        limit.sample(5 * MS, 1, true);
        assertThat(limit.limit()).as("18 × 0.9, however fast the failure").isEqualTo(16);
        limit.sample(5 * MS, 1, true);
        assertThat(limit.limit()).as("16.2 × 0.9 = 14.58").isEqualTo(14);
    }

    @Test
    void aimdBacksOffByTheConfiguredFactor() {
        AimdLimit limit = new AimdLimit(
                AdaptiveOptions.aimd(1, 100, 20, Duration.ofMillis(100)).withBackoff(0.5));
        limit.sample(500 * MS, 20, false);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void aimdStaysWithinItsBounds() {
        AimdLimit limit = aimd(4, 12, 10);
        for (int i = 0; i < 50; i++) {
            limit.sample(10 * MS, 12, false);
        }
        assertThat(limit.limit()).isEqualTo(12);
        for (int i = 0; i < 50; i++) {
            limit.sample(10 * MS, 12, true);
        }
        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void aimdSmoothingMovesThatFractionOfTheWay() {
        AimdLimit limit = new AimdLimit(
                AdaptiveOptions.aimd(1, 100, 10, Duration.ofMillis(100)).withSmoothing(0.5));
        limit.sample(10 * MS, 10, false);
        assertThat(limit.limit()).as("10 + ½ × 1 = 10.5").isEqualTo(10);
        limit.sample(10 * MS, 10, false);
        assertThat(limit.limit()).as("10.5 + ½ × 1 = 11").isEqualTo(11);
        limit.sample(500 * MS, 10, false);
        assertThat(limit.limit()).as("11 + ½ × (9.9 − 11) = 10.45").isEqualTo(10);
    }

    @Test
    void gradientGrowsByTheQueueAllowanceWhileLatencyHolds() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 10).withGradient(1.5, 600, 4));
        limit.sample(10 * MS, 10, false);
        assertThat(limit.limit()).as("10 × 1 + 4").isEqualTo(14);
        limit.sample(10 * MS, 14, false);
        assertThat(limit.limit()).isEqualTo(18);
    }

    @Test
    void gradientFallsWhenTheShortTermLatencyOutgrowsTheLongTermOne() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 10));
        for (int i = 0; i < 20; i++) {
            limit.sample(10 * MS, 10, false);
        }
        assertThat(limit.limit()).isEqualTo(10);
        assertThat(limit.longTermNanos()).isEqualTo(10.0 * MS);
        limit.sample(30 * MS, 10, false);
        // the long-term latency is the mean of 21 samples, 10.95 ms; 1.5 × 10.95 / 30 = 0.548
        assertThat(limit.longTermNanos()).isCloseTo(230.0 / 21 * MS, offset(1.0));
        assertThat(limit.limit()).isEqualTo(5);
    }

    @Test
    void gradientToleratesALatencyUpToToleranceTimesTheLongTermOne() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 10));
        for (int i = 0; i < 20; i++) {
            limit.sample(10 * MS, 10, false);
        }
        limit.sample(14 * MS, 10, false);
        assertThat(limit.limit())
                .as("14 ms is within 1.5 × 10 ms: the limit holds")
                .isEqualTo(10);
    }

    @Test
    void gradientFallsByAtMostHalfAndOnAFailure() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 40));
        for (int i = 0; i < 20; i++) {
            limit.sample(10 * MS, 40, false);
        }
        limit.sample(10_000 * MS, 40, false);
        assertThat(limit.limit()).isEqualTo(20);
        limit.sample(1 * MS, 20, true);
        assertThat(limit.limit()).as("a failure, however fast").isEqualTo(10);
    }

    @Test
    void gradientDoesNotGrowALimitLessThanHalfUsed() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 10).withGradient(1.5, 600, 4));
        limit.sample(10 * MS, 4, false);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void gradientStaysWithinItsBounds() {
        GradientLimit growing = new GradientLimit(gradientOptions(3, 16, 10).withGradient(1.5, 600, 4));
        for (int i = 0; i < 20; i++) {
            growing.sample(10 * MS, 16, false);
        }
        assertThat(growing.limit()).isEqualTo(16);
        GradientLimit falling = new GradientLimit(gradientOptions(3, 16, 10));
        for (int i = 0; i < 20; i++) {
            falling.sample(10 * MS, 16, true);
        }
        assertThat(falling.limit()).isEqualTo(3);
    }

    @Test
    void gradientSmoothingMovesThatFractionOfTheWay() {
        GradientLimit limit =
                new GradientLimit(gradientOptions(1, 100, 10).withSmoothing(0.5).withGradient(1.5, 600, 4));
        limit.sample(10 * MS, 10, false);
        assertThat(limit.limit()).as("10 + ½ × (14 − 10)").isEqualTo(12);
        GradientLimit defaults = new GradientLimit(AdaptiveOptions.gradient(1, 100, 10));
        defaults.sample(10 * MS, 10, false);
        defaults.sample(10 * MS, 10, false);
        assertThat(defaults.limit())
                .as("10 + ⅕ × 4 = 10.8, then 10.8 + ⅕ × 4 = 11.6")
                .isEqualTo(11);
    }

    @Test
    void gradientLetsAStaleLongTermLatencyFallFasterThanItsAverage() {
        GradientLimit limit = new GradientLimit(gradientOptions(1, 100, 10));
        for (int i = 0; i < 600; i++) {
            limit.sample(100 * MS, 10, false);
        }
        limit.sample(10 * MS, 10, false);
        // the average alone: 100 − 90 / 600 = 99.85 ms; then 5 % off for being over twice the short-term latency
        assertThat(limit.longTermNanos()).isCloseTo(99.85 * 0.95 * MS, offset(1.0));
    }
}
