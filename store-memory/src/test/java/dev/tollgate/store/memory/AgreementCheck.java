package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
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
