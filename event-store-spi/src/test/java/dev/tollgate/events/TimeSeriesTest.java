package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    @Test
    void cutsTheWindowIntoContiguousBucketsEndingNow() {
        List<TimeSeries.Bucket> layout = TimeSeries.layout(NOW, 1, 24);

        assertThat(layout).hasSize(24);
        assertThat(layout.get(0).start()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(layout.get(23).end()).isEqualTo(NOW);
        for (int i = 0; i < 24; i++) {
            assertThat(Duration.between(layout.get(i).start(), layout.get(i).end()))
                    .isEqualTo(Duration.ofHours(1));
            if (i > 0) {
                assertThat(layout.get(i).start()).isEqualTo(layout.get(i - 1).end());
            }
        }
    }

    @Test
    void theOldestBucketTakesTheRemainderOfAnUnevenCut() {
        List<TimeSeries.Bucket> layout = TimeSeries.layout(NOW, 1, 7);

        assertThat(TimeSeries.bucketWidth(1, 7)).isEqualTo(Duration.ofMillis(12_342_857));
        assertThat(width(layout.get(0))).isEqualTo(Duration.ofMillis(12_342_858));
        assertThat(width(layout.get(6))).isEqualTo(Duration.ofMillis(12_342_857));
        assertThat(layout.get(0).start()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    }

    private static Duration width(TimeSeries.Bucket bucket) {
        return Duration.between(bucket.start(), bucket.end());
    }

    @Test
    void rejectsBucketCountsOutsideItsRange() {
        assertThatThrownBy(() -> TimeSeries.layout(NOW, 1, 0)).hasMessageContaining("buckets");
        assertThatThrownBy(() -> TimeSeries.layout(NOW, 1, TimeSeries.MAX_BUCKETS + 1))
                .hasMessageContaining("buckets");
        assertThatThrownBy(() -> TimeSeries.layout(NOW, 0, 10)).hasMessageContaining("days");
    }

    @Test
    void sumsItsBucketsIntoASummary() {
        List<TimeSeries.Bucket> layout = TimeSeries.layout(NOW, 2, 2);
        TimeSeries series = new TimeSeries(
                2,
                TimeSeries.bucketWidth(2, 2),
                List.of(layout.get(0).withCounts(3, 1, 5), layout.get(1).withCounts(4, 2, 0)));

        assertThat(series.summary()).isEqualTo(TrafficSummary.of(2, 7, 3, 5));
        assertThat(series.buckets().get(0).total()).isEqualTo(9);
    }

    @Test
    void aRangeIsCutIntoItsBucketsAllOfOneWidthTheNewestEndingNow() {
        List<TimeSeries.Bucket> layout = TimeSeries.layout(NOW, TimeRange.MINUTES_15);

        assertThat(layout).hasSize(90);
        assertThat(layout.get(0).start()).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(layout.get(89).end()).isEqualTo(NOW);
        assertThat(layout).allSatisfy(bucket -> assertThat(width(bucket)).isEqualTo(Duration.ofSeconds(10)));
        assertThat(TimeSeries.layout(NOW, TimeRange.DAYS_7)).isEqualTo(TimeSeries.layout(NOW, 7, 56));
    }

    @Test
    void aSeriesOverARangeSumsIntoASummaryOverItAndNamesItInItsJson() {
        List<TimeSeries.Bucket> layout = TimeSeries.layout(NOW, TimeRange.HOUR);
        List<TimeSeries.Bucket> filled = new ArrayList<>(layout);
        filled.set(59, layout.get(59).withCounts(2, 1, 1));
        TimeSeries series = TimeSeries.of(TimeRange.HOUR, filled);

        assertThat(series.days()).isZero();
        assertThat(series.summary()).isEqualTo(TrafficSummary.of(TimeRange.HOUR, 2, 1, 1));
        assertThat(series.summary().toJson().encode())
                .isEqualTo("{\"range\":\"1h\",\"range_ms\":3600000,\"total\":4,\"allowed\":2,\"blocked\":1,"
                        + "\"shadow_blocked\":1,\"block_rate\":0.25}");
        assertThat(series.toJson().fieldNames()).containsExactly("range", "range_ms", "bucket_width_ms", "buckets");
        assertThat(TrafficSummary.of(TimeRange.DAYS_7, 1, 0, 0).days()).isEqualTo(7);
        assertThat(TrafficSummary.of(7, 1, 0, 0).toJson().fieldNames()).startsWith("days");
    }
}
