package dev.tollgate.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrafficRateTest {

    private static final long T = 1_700_000_000L;

    private static void hits(TrafficRate rate, long second, int n) {
        for (int i = 0; i < n; i++) {
            rate.record(second, 1);
        }
    }

    @Test
    void theRateIsTheHitsOfTheWindowEndingNowOverItsLength() {
        TrafficRate rate = new TrafficRate(10, 2);
        hits(rate, T - 10, 100);
        hits(rate, T - 9, 3);
        hits(rate, T, 4);

        assertThat(rate.hits(T)).isEqualTo(7);
        assertThat(rate.rate(T)).isEqualTo(0.7);
        assertThat(rate.hits(T - 1)).isEqualTo(103);
    }

    @Test
    void goingAboveTheThresholdRaisesOnceAndComingBackRecoversOnce() {
        TrafficRate rate = new TrafficRate(10, 2);
        hits(rate, T, 21);

        assertThat(rate.evaluate(T)).contains(TrafficRate.Crossing.HIGH);
        hits(rate, T + 1, 50);
        assertThat(rate.evaluate(T + 1)).isEmpty();
        assertThat(rate.evaluate(T + 9)).isEmpty();
        assertThat(rate.high()).isTrue();

        assertThat(rate.evaluate(T + 11)).contains(TrafficRate.Crossing.RECOVERED);
        assertThat(rate.evaluate(T + 12)).isEmpty();
        assertThat(rate.high()).isFalse();
    }

    @Test
    void aRateExactlyAtTheThresholdIsNotHigh() {
        TrafficRate rate = new TrafficRate(10, 2);
        hits(rate, T, 20);

        assertThat(rate.evaluate(T)).isEqualTo(Optional.empty());

        rate.record(T, 1);
        assertThat(rate.evaluate(T)).contains(TrafficRate.Crossing.HIGH);
        hits(rate, T + 10, 20);
        assertThat(rate.evaluate(T + 10)).contains(TrafficRate.Crossing.RECOVERED);
    }

    @Test
    void secondsLongGoneAreForgottenWhenTheirSlotIsReused() {
        TrafficRate rate = new TrafficRate(3, 1);
        hits(rate, T, 5);
        hits(rate, T + 6, 1);

        assertThat(rate.hits(T + 6)).isEqualTo(1);
    }
}
