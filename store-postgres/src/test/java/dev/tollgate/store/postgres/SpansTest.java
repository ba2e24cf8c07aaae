package dev.tollgate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.store.postgres.Spans.Span;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpansTest {

    private static final long[] WIDTHS = {StoreSql.DAY, StoreSql.HOUR, StoreSql.MINUTE};

    @Test
    void aRangeIsCutIntoWholeBucketsWidestFirstAndExactEdges() {
        long from = StoreSql.DAY - StoreSql.HOUR - StoreSql.MINUTE - 5;
        long to = 3 * StoreSql.DAY + StoreSql.HOUR + 7;

        assertThat(Spans.cover(from, to, WIDTHS))
                .containsExactly(
                        new Span(Spans.EXACT, from, from + 5),
                        new Span(StoreSql.MINUTE, from + 5, StoreSql.DAY - StoreSql.HOUR),
                        new Span(StoreSql.HOUR, StoreSql.DAY - StoreSql.HOUR, StoreSql.DAY),
                        new Span(StoreSql.DAY, StoreSql.DAY, 3 * StoreSql.DAY),
                        new Span(StoreSql.HOUR, 3 * StoreSql.DAY, 3 * StoreSql.DAY + StoreSql.HOUR),
                        new Span(Spans.EXACT, 3 * StoreSql.DAY + StoreSql.HOUR, to));
    }

    @Test
    void anOpenRangeEndsInWholeBucketsOfTheWidestWidth() {
        assertThat(Spans.cover(StoreSql.HOUR - 1, Spans.OPEN, WIDTHS))
                .containsExactly(
                        new Span(Spans.EXACT, StoreSql.HOUR - 1, StoreSql.HOUR),
                        new Span(StoreSql.HOUR, StoreSql.HOUR, StoreSql.DAY),
                        new Span(StoreSql.DAY, StoreSql.DAY, Spans.OPEN));
    }

    @Test
    void aRangeWithinOneBucketIsCountedExactly() {
        assertThat(Spans.cover(61_001, 61_999, WIDTHS)).containsExactly(new Span(Spans.EXACT, 61_001, 61_999));
        assertThat(Spans.cover(5, 5, WIDTHS)).isEmpty();
    }

    @Test
    void spansPartitionAnyRangeIntoAlignedBuckets() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long from = random.nextLong() % (400 * StoreSql.DAY);
            long to = from + (long) (random.nextDouble() * random.nextInt(10) * StoreSql.DAY);
            List<Span> spans = Spans.cover(from, to, WIDTHS);
            long at = from;
            for (Span span : spans) {
                assertThat(span.from()).isEqualTo(at);
                assertThat(span.to()).isGreaterThan(span.from());
                if (span.width() != Spans.EXACT) {
                    assertThat(Math.floorMod(span.from(), span.width())).isZero();
                    assertThat(Math.floorMod(span.to(), span.width())).isZero();
                }
                at = span.to();
            }
            assertThat(at).isEqualTo(spans.isEmpty() ? from : to);
        }
    }
}
