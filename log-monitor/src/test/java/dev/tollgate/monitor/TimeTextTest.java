package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeTextTest {

    @Test
    void writesLogTimeAsTheFormattersDoInEveryYear() {
        DateTimeFormatter utc =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        DateTimeFormatter iso =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(3);
        List<Long> seconds = new ArrayList<>(List.of(
                0L, 1L, 59L, 86_399L, 86_400L, 951_782_400L, 1_549_573_956L, 253_402_300_799L, 253_402_300_800L, -1L));
        for (int i = 0; i < 10_000; i++) {
            seconds.add(random.nextLong(-100_000_000_000L, 300_000_000_000L));
        }
        for (long s : seconds) {
            Instant instant = Instant.ofEpochSecond(s);
            assertThat(TimeText.utc(s)).as("%d", s).isEqualTo(utc.format(instant));
            assertThat(TimeText.clock(s)).as("%d", s).isEqualTo(clock.format(instant));
            assertThat(TimeText.iso(s)).as("%d", s).isEqualTo(iso.format(instant));
        }
        assertThat(TimeText.utc(1_549_573_956L)).isEqualTo("2019-02-07 21:12:36");
    }

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
