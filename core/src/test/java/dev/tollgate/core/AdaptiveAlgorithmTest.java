package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two algorithms as pure units: samples in, limits out, no clock but the latencies given. */
class AdaptiveAlgorithmTest {

    private static final long MS = 1_000_000L;

    private static AimdLimit aimd(int min, int max, int initial) {
        return new AimdLimit(AdaptiveOptions.aimd(min, max, initial, Duration.ofMillis(100)));
    }

    private static final long SECOND = 1_000_000_000L;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

    /** Gradient without smoothing nor queue allowance unless a test sets them, so that every step is exact. */
    private static AdaptiveOptions gradientOptions(int min, int max, int initial) {
        return AdaptiveOptions.gradient(min, max, initial).withSmoothing(1).withGradient(1.5, PROBE_INTERVAL, 0);
    }

    /**
     * A gradient limit whose first probe has measured an unloaded latency of {@code unloadedMs}, at time 0: the
     * limit back at {@code initial}, the next probe due at {@link #PROBE_INTERVAL}.
     */
    private static GradientLimit probed(AdaptiveOptions options, long unloadedMs) {
        GradientLimit limit = new GradientLimit(options);
        limit.sample(50 * MS, options.initialLimit(), false, 0);
        for (int i = 0; i < GradientLimit.PROBE_SAMPLES; i++) {
            limit.sample((unloadedMs + i) * MS, options.minLimit(), false, 0);
        }
        assertThat(limit.probing()).isFalse();
        assertThat(limit.unloadedNanos()).isEqualTo(unloadedMs * MS);
        assertThat(limit.limit()).isEqualTo(options.initialLimit());
        return limit;
    }

    @Test
    void aimdAddsOneForAFastFineResponseWhileTheLimitIsInUse() {
        AimdLimit limit = aimd(1, 100, 10);
        limit.sample(20 * MS, 5, false, 0);
        assertThat(limit.limit()).isEqualTo(11);
        limit.sample(100 * MS, 6, false, 0);
        assertThat(limit.limit()).as("at the threshold is still in time").isEqualTo(12);
    }

    @Test
    void aimdDoesNotGrowALimitLessThanHalfUsed() {
        AimdLimit limit = aimd(1, 100, 10);
        limit.sample(20 * MS, 4, false, 0);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void aimdBacksOffOnASlowResponseAndOnAFailedOne() {
        AimdLimit limit = aimd(1, 100, 20);
        limit.sample(101 * MS, 20, false, 0);
        assertThat(limit.limit()).as("20 × 0.9").isEqualTo(18);
        limit.sample(5 * MS, 1, true, 0);
        assertThat(limit.limit()).as("18 × 0.9, however fast the failure").isEqualTo(16);
        limit.sample(5 * MS, 1, true, 0);
        assertThat(limit.limit()).as("16.2 × 0.9 = 14.58").isEqualTo(14);
    }

    @Test
    void aimdBacksOffByTheConfiguredFactor() {
        AimdLimit limit = new AimdLimit(
                AdaptiveOptions.aimd(1, 100, 20, Duration.ofMillis(100)).withBackoff(0.5));
        limit.sample(500 * MS, 20, false, 0);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void aimdStaysWithinItsBounds() {
        AimdLimit limit = aimd(4, 12, 10);
        for (int i = 0; i < 50; i++) {
            limit.sample(10 * MS, 12, false, 0);
        }
        assertThat(limit.limit()).isEqualTo(12);
        for (int i = 0; i < 50; i++) {
            limit.sample(10 * MS, 12, true, 0);
        }
        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void aimdSmoothingMovesThatFractionOfTheWay() {
        AimdLimit limit = new AimdLimit(
                AdaptiveOptions.aimd(1, 100, 10, Duration.ofMillis(100)).withSmoothing(0.5));
        limit.sample(10 * MS, 10, false, 0);
        assertThat(limit.limit()).as("10 + ½ × 1 = 10.5").isEqualTo(10);
        limit.sample(10 * MS, 10, false, 0);
        assertThat(limit.limit()).as("10.5 + ½ × 1 = 11").isEqualTo(11);
        limit.sample(500 * MS, 10, false, 0);
        assertThat(limit.limit()).as("11 + ½ × (9.9 − 11) = 10.45").isEqualTo(10);
    }

    @Test
    void gradientMeasuresTheUnloadedLatencyAtTheMinimumLimitBeforeItMovesTheLimit() {
        GradientLimit limit = new GradientLimit(gradientOptions(2, 100, 40));
        assertThat(limit.limit()).as("before any response").isEqualTo(40);
        limit.sample(80 * MS, 40, false, 0);
        assertThat(limit.probing()).isTrue();
        assertThat(limit.limit()).as("held at minLimit while the probe runs").isEqualTo(2);
        // requests admitted before the probe drain: more than minLimit in flight, slow, and not counted
        for (int inFlight = 39; inFlight > 2; inFlight--) {
            limit.sample(70 * MS, inFlight, false, 0);
        }
        limit.sample(1 * MS, 2, true, 0);
        assertThat(limit.probing()).as("a failure counts for nothing").isTrue();
        for (int i = 0; i < GradientLimit.PROBE_SAMPLES - 1; i++) {
            limit.sample((12 + i) * MS, 2, false, 0);
            assertThat(limit.probing()).isTrue();
        }
        limit.sample(11 * MS, 1, false, 0);
        assertThat(limit.probing()).isFalse();
        assertThat(limit.unloadedNanos())
                .as("the quickest response of the probe")
                .isEqualTo(11 * MS);
        assertThat(limit.limit()).as("back where it was").isEqualTo(40);
    }

    @Test
    void gradientProbesAgainOnceTheIntervalHasPassed() {
        GradientLimit limit = probed(gradientOptions(1, 100, 10), 10);
        limit.sample(10 * MS, 10, false, PROBE_INTERVAL.toNanos() - 1);
        assertThat(limit.probing()).isFalse();
        limit.sample(10 * MS, 10, false, PROBE_INTERVAL.toNanos());
        assertThat(limit.probing()).isTrue();
        assertThat(limit.limit()).isEqualTo(1);
        for (int i = 0; i < GradientLimit.PROBE_SAMPLES; i++) {
            limit.sample(20 * MS, 1, false, 31 * SECOND);
        }
        assertThat(limit.unloadedNanos())
                .as("the upstream got slower even unloaded")
                .isEqualTo(20 * MS);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void gradientGrowsByTheQueueAllowanceWhileLatencyHolds() {
        GradientLimit limit = probed(gradientOptions(1, 100, 10).withGradient(1.5, PROBE_INTERVAL, 4), 10);
        limit.sample(15 * MS, 10, false, SECOND);
        assertThat(limit.limit()).as("within 1.5 × 10 ms: 10 × 1 + 4").isEqualTo(14);
        limit.sample(10 * MS, 14, false, SECOND);
        assertThat(limit.limit()).isEqualTo(18);
    }

    @Test
    void gradientFallsWhenResponsesTakeLongerThanToleranceTimesTheUnloadedLatency() {
        GradientLimit limit = probed(gradientOptions(1, 100, 10), 10);
        limit.sample(15 * MS, 10, false, SECOND);
        assertThat(limit.limit())
                .as("15 ms is within 1.5 × 10 ms: the limit holds")
                .isEqualTo(10);
        limit.sample(20 * MS, 10, false, SECOND);
        assertThat(limit.limit()).as("1.5 × 10 / 20 = 0.75 of 10").isEqualTo(7);
    }

    @Test
    void gradientHoldsAnOverloadThatLastsWhereTheUnloadedLatencyWasMeasured() {
        // an upstream answering in 5 ms + 1 ms per request in flight, overloaded from the start and for good
        GradientLimit limit =
                new GradientLimit(AdaptiveOptions.gradient(1, 1000, 20).withGradient(1.5, PROBE_INTERVAL, 0));
        long now = 0;
        limit.sample(25 * MS, 20, false, now);
        for (int i = 0; i < GradientLimit.PROBE_SAMPLES; i++) {
            limit.sample(6 * MS, 1, false, now);
        }
        for (int i = 0; i < 5_000; i++) {
            now += MS;
            int inFlight = limit.limit();
            limit.sample((5 + inFlight) * MS, inFlight, false, now);
        }
        assertThat(limit.limit())
                .as("the latency held near 1.5 × 6 ms: at most 4 in flight")
                .isBetween(1, 4);
    }

    @Test
    void gradientFallsByAtMostHalfAndOnAFailure() {
        GradientLimit limit = probed(gradientOptions(1, 100, 40), 10);
        limit.sample(10_000 * MS, 40, false, SECOND);
        assertThat(limit.limit()).isEqualTo(20);
        limit.sample(1 * MS, 20, true, SECOND);
        assertThat(limit.limit()).as("a failure, however fast").isEqualTo(10);
    }

    @Test
    void gradientDoesNotGrowALimitLessThanHalfUsed() {
        GradientLimit limit = probed(gradientOptions(1, 100, 10).withGradient(1.5, PROBE_INTERVAL, 4), 10);
        limit.sample(10 * MS, 4, false, SECOND);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void gradientStaysWithinItsBounds() {
        GradientLimit growing = probed(gradientOptions(3, 16, 10).withGradient(1.5, PROBE_INTERVAL, 4), 10);
        for (int i = 0; i < 20; i++) {
            growing.sample(10 * MS, 16, false, SECOND);
        }
        assertThat(growing.limit()).isEqualTo(16);
        GradientLimit falling = probed(gradientOptions(3, 16, 10), 10);
        for (int i = 0; i < 20; i++) {
            falling.sample(10 * MS, 16, true, SECOND);
        }
        assertThat(falling.limit()).isEqualTo(3);
    }

    @Test
    void gradientSmoothingMovesThatFractionOfTheWay() {
        GradientLimit limit =
                probed(gradientOptions(1, 100, 10).withSmoothing(0.5).withGradient(1.5, PROBE_INTERVAL, 4), 10);
        limit.sample(10 * MS, 10, false, SECOND);
        assertThat(limit.limit()).as("10 + ½ × (14 − 10)").isEqualTo(12);
        GradientLimit defaults = probed(AdaptiveOptions.gradient(1, 100, 10), 10);
        defaults.sample(10 * MS, 10, false, SECOND);
        defaults.sample(10 * MS, 10, false, SECOND);
        assertThat(defaults.limit())
                .as("10 + ⅕ × 4 = 10.8, then 10.8 + ⅕ × 4 = 11.6")
                .isEqualTo(11);
    }
}
