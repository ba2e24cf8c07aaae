package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeTextTest {

    @Test
    void writesADurationInItsLargestWholeUnit() {
        assertThat(TimeText.duration(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(TimeText.duration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(TimeText.duration(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(TimeText.duration(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(TimeText.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(TimeText.duration(Duration.ZERO)).isEqualTo("0s");
    }
}
