package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void aSummaryComputesItsBlockRate() {
        assertThat(TrafficSummary.of(7, 2, 3).blockRate()).isEqualTo(0.6);
        assertThat(TrafficSummary.of(7, 0, 0).blockRate()).isEqualTo(0.0);
    }

    @Test
    void shadowBlockedEventsCountInTheTotalAndAsServedButNeverRaiseTheBlockRate() {
        TrafficSummary summary = TrafficSummary.of(7, 2, 3, 4);

        assertThat(summary.total()).isEqualTo(9);
        assertThat(summary.served()).isEqualTo(6);
        assertThat(summary.blockRate()).isEqualTo(3.0 / 9);
        assertThat(TrafficSummary.of(7, 0, 0, 5).blockRate()).isEqualTo(0.0);
    }

    @Test
    void aSummaryRefusesCountsThatDoNotAddUp() {
        assertThatThrownBy(() -> new TrafficSummary(7, 6, 2, 3, 0, 0.5)).hasMessageContaining("total");
        assertThatThrownBy(() -> new TrafficSummary(7, 5, 2, 3, 1, 0.5)).hasMessageContaining("total");
        assertThatThrownBy(() -> new TrafficSummary(7, 5, 2, 3, 0, 0.5)).hasMessageContaining("blockRate");
        assertThatThrownBy(() -> new TrafficSummary(7, 5, 7, -1, -1, 0.0)).hasMessageContaining("non-negative");
    }

    @Test
    void anOffenderHasAtLeastOneBlockedEvent() {
        assertThatThrownBy(() -> new Offender("k", 0)).hasMessageContaining("at least one");
    }

    @Test
    void ruleHitsNeedANameAndNoMoreBlockedThanHits() {
        assertThatThrownBy(() -> new RuleHits("", 1, 0)).hasMessageContaining("named rules");
        assertThatThrownBy(() -> new RuleHits("api", 1, 2)).hasMessageContaining("blocked + shadowBlocked <= hits");
        assertThatThrownBy(() -> new RuleHits("api", 3, 2, 2)).hasMessageContaining("blocked + shadowBlocked <= hits");
        assertThat(new RuleHits("api", 4, 2)).isEqualTo(new RuleHits("api", 4, 2, 0));
    }

    @Test
    void anOffenderDetailKeepsAtMostTwentyPaths() {
        List<OffenderDetail.PathCount> paths = IntStream.range(0, 21)
                .mapToObj(i -> new OffenderDetail.PathCount("/" + i, 1))
                .toList();

        assertThatThrownBy(
                        () -> OffenderDetail.of("k", 1, 0, 21, 0, Optional.empty(), Optional.empty(), paths, List.of()))
                .hasMessageContaining("at most 20");
    }

    @Test
    void anEmptyPageWritesANullCursor() {
        assertThat(new EventPage(List.of(), Optional.empty()).toJson().encode())
                .isEqualTo("{\"events\":[],\"next_cursor\":null}");
    }
}
