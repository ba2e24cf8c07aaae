package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    @Test
    void readsEveryNamedRangeAndNothingElse() {
        for (TimeRange range : TimeRange.NAMED) {
            assertThat(TimeRange.parse(range.name())).contains(range);
        }
        assertThat(TimeRange.parse("15M")).isEmpty();
        assertThat(TimeRange.parse("2h")).isEmpty();
        assertThat(TimeRange.parse(" 1h")).isEmpty();
        assertThat(TimeRange.parse("")).isEmpty();
        assertThat(TimeRange.parse(null)).isEmpty();
    }

    @Test
    void bucketsFitTheRange() {
        assertThat(TimeRange.MINUTES_15.buckets()).isEqualTo(90);
        assertThat(TimeRange.MINUTES_15.bucket()).isEqualTo(Duration.ofSeconds(10));
        assertThat(TimeRange.HOUR.buckets()).isEqualTo(60);
        assertThat(TimeRange.HOUR.bucket()).isEqualTo(Duration.ofMinutes(1));
        assertThat(TimeRange.NAMED)
                .allSatisfy(range -> assertThat(range.buckets()).isBetween(48, 168));
    }

    @Test
    void aRangeOfDaysIsTheWindowOfTheDaysReports() {
        TimeRange week = TimeRange.ofDays(7, 28);
        assertThat(week.name()).isEqualTo("7d");
        assertThat(week.length()).isEqualTo(Duration.ofDays(7));
        assertThat(week.buckets()).isEqualTo(28);
        assertThat(week.wholeDays()).contains(7);
        assertThat(TimeRange.HOUR.wholeDays()).isEmpty();
        assertThat(TimeRange.HOURS_24.wholeDays()).contains(1);
        Instant now = Instant.parse("2026-12-07T10:00:00.123456Z");
        assertThat(week.start(now)).isEqualTo(Instant.parse("2026-11-30T10:00:00.123Z"));
    }

    @Test
    void refusesRangesThatAreNotWholeBucketsOrTooLong() {
        assertThatThrownBy(() -> TimeRange.ofDays(0, 4)).hasMessageContaining("between 1 and 365");
        assertThatThrownBy(() -> TimeRange.ofDays(366, 4)).hasMessageContaining("between 1 and 365");
        assertThatThrownBy(() -> TimeRange.ofDays(1, 7)).hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> new TimeRange("x", Duration.ofMinutes(15), Duration.ofSeconds(7)))
                .hasMessageContaining("whole number of buckets");
        assertThatThrownBy(() -> new TimeRange("x", Duration.ofDays(1), Duration.ofMillis(1)))
                .hasMessageContaining("at most 10000 buckets");
    }
}
