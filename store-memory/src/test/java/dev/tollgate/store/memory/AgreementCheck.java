package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.TimeRange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Asserts that two stores give the same answer to every query over the same windows. */
final class AgreementCheck {

    private AgreementCheck() {}

    static void assertSameAnswers(EventStore actual, EventStore expected, int... windows) {
        Set<String> keys = new LinkedHashSet<>();
        List<RateLimitEvent> all = allEvents(expected);
        all.forEach(event -> keys.add(event.key()));
        keys.add("never-seen");
        assertThat(allEvents(actual)).as("raw events").isEqualTo(all);
        for (int days : windows) {
            assertThat(await(actual.trafficSummary(days)))
                    .as("summary, %d days", days)
                    .isEqualTo(await(expected.trafficSummary(days)));
            for (int limit : new int[] {1, 3, 1000}) {
                assertThat(await(actual.topOffenders(days, limit)))
                        .as("top %d offenders, %d days", limit, days)
                        .isEqualTo(await(expected.topOffenders(days, limit)));
                assertThat(await(actual.topShadowOffenders(days, limit)))
                        .as("top %d shadow offenders, %d days", limit, days)
                        .isEqualTo(await(expected.topShadowOffenders(days, limit)));
                assertThat(await(actual.ruleHitCounts(days, limit)))
                        .as("top %d rules, %d days", limit, days)
                        .isEqualTo(await(expected.ruleHitCounts(days, limit)));
            }
            for (int buckets : new int[] {1, 7, 24, 97}) {
                assertThat(await(actual.timeSeries(days, buckets)))
                        .as("%d buckets, %d days", buckets, days)
                        .isEqualTo(await(expected.timeSeries(days, buckets)));
            }
            for (String key : keys) {
                assertThat(await(actual.offenderDetail(key, days, 5)))
                        .as("detail of %s, %d days", key, days)
                        .isEqualTo(await(expected.offenderDetail(key, days, 5)));
            }
        }
        List<TimeRange> ranges = new ArrayList<>(TimeRange.NAMED);
        ranges.add(TimeRange.ofDays(2, 9));
        ranges.add(TimeRange.ofDays(10, 16));
        for (TimeRange range : ranges) {
            assertSamePanels(actual, expected, range, keys);
        }
    }

    /** The panel queries of {@code range}: the tallies' facts and the events at the edges against a full scan. */
    private static void assertSamePanels(EventStore actual, EventStore expected, TimeRange range, Set<String> keys) {
        for (int limit : new int[] {1, 3, 1000}) {
            assertThat(await(actual.topBlockedPaths(range, limit)))
                    .as("top %d blocked paths, %s", limit, range)
                    .isEqualTo(await(expected.topBlockedPaths(range, limit)));
            assertThat(await(actual.topBlockedUserAgents(range, limit)))
                    .as("top %d blocked user agents, %s", limit, range)
                    .isEqualTo(await(expected.topBlockedUserAgents(range, limit)));
            assertThat(await(actual.blockedByRule(range, limit)))
                    .as("blocked by the top %d rules, %s", limit, range)
                    .isEqualTo(await(expected.blockedByRule(range, limit)));
        }
        assertThat(await(actual.upstreamStats(range)))
                .as("upstream, %s", range)
                .isEqualTo(await(expected.upstreamStats(range)));
        for (String key : keys) {
            assertThat(await(actual.offenderTimeline(key, range, 3)))
                    .as("timeline of %s, %s", key, range)
                    .isEqualTo(await(expected.offenderTimeline(key, range, 3)));
        }
    }

    static List<RateLimitEvent> allEvents(EventStore store) {
        EventQuery query =
                EventQuery.builder().pageSize(EventQuery.MAX_PAGE_SIZE).build();
        List<RateLimitEvent> all = new ArrayList<>();
        var page = await(store.events(query));
        all.addAll(page.events());
        while (page.nextCursor().isPresent()) {
            page = await(store.events(query.after(page.nextCursor().get())));
            all.addAll(page.events());
        }
        return all;
    }
}
