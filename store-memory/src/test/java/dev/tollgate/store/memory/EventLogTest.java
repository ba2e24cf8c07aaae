package dev.tollgate.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventQuery;
import dev.tollgate.events.RateLimitEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    @Test
    void sharesTheTextOfRepeatedFieldsAndLetsItGoWithTheLastEvent() {
        EventLog log = log(1000, 100);
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minusSeconds(i))
                    .key(new String("ip:203.0.113.5"))
                    .ruleName("api")
                    .path("/api/orders")
                    .method("GET")
                    .ipAddress("203.0.113.5")
                    .build());
        }

        log.append(events);

        assertThat(log.distinctTexts()).isEqualTo(5);
        assertThat(log.removeBefore(Long.MAX_VALUE, 1000)).isEqualTo(100);
        assertThat(log.distinctTexts()).isZero();
        assertThat(log.size()).isZero();
        assertThat(log.summary(365, Long.MIN_VALUE).total()).isZero();
    }

    @Test
    void keepsLateEventsInTimeOrderWithinTheirMinuteAndDropsTheOldestFirst() {
        EventLog log = log(1000, 100);
        List<RateLimitEvent> events = new ArrayList<>();
        int[] offsets = {500, 100, 900, 100, 0, 59_999};
        for (int i = 0; i < offsets.length; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(Instant.parse("2026-03-15T12:00:00Z").plusMillis(offsets[i]))
                    .key("#" + i + " at " + offsets[i])
                    .path("/")
                    .method("GET")
                    .build());
        }
        log.append(events);

        assertThat(newestFirst(log))
                .containsExactly("#5 at 59999", "#2 at 900", "#0 at 500", "#3 at 100", "#1 at 100", "#4 at 0");

        assertThat(log.removeBefore(Long.MAX_VALUE, 2)).isEqualTo(2);
        assertThat(newestFirst(log)).containsExactly("#5 at 59999", "#2 at 900", "#0 at 500", "#3 at 100");
    }

    @Test
    void remembersTheIdsOfTheLastBatchesUpToItsBound() {
        EventLog log = log(1000, 3);
        for (String id : List.of("a", "b", "c", "d")) {
            assertThat(log.appendBatch(id, NOW.toEpochMilli(), List.of(event(NOW, id))))
                    .isTrue();
        }

        assertThat(log.batchIds()).isEqualTo(3);
        assertThat(log.appendBatch("d", NOW.toEpochMilli(), List.of(event(NOW, "d"))))
                .isFalse();
        assertThat(log.appendBatch("a", NOW.toEpochMilli(), List.of(event(NOW, "a"))))
                .as("forgotten")
                .isTrue();
        assertThat(log.appendBatch("b", NOW.toEpochMilli(), List.of()))
                .as("forgotten")
                .isTrue();
    }

    @Test
    void forgetsABatchIdOnceTheLastOfItsEventsIsDropped() {
        EventLog log = log(3, 100);
        log.appendBatch(
                "old",
                NOW.toEpochMilli(),
                List.of(event(NOW.minusSeconds(50), "o1"), event(NOW.minusSeconds(40), "o2")));
        log.appendBatch(
                "new",
                NOW.toEpochMilli(),
                List.of(event(NOW.minusSeconds(30), "n1"), event(NOW.minusSeconds(20), "n2")));

        assertThat(log.dropped()).isEqualTo(1);
        assertThat(log.batchIds()).as("o2 is still held").isEqualTo(2);

        log.append(List.of(event(NOW.minusSeconds(10), "x")));

        assertThat(log.dropped()).isEqualTo(2);
        assertThat(log.batchIds()).isEqualTo(1);
        assertThat(log.appendBatch("new", NOW.toEpochMilli(), List.of(event(NOW, "again"))))
                .isFalse();
        assertThat(log.removeBefore(Long.MAX_VALUE, 1000)).isEqualTo(3);
        assertThat(log.batchIds()).isZero();
    }

    @Test
    void aBatchOfLateEventsLosesItsIdWithThoseEventsWhileNewerOnesStay() {
        EventLog log = log(1000, 100);
        log.append(List.of(event(NOW.minusSeconds(10), "on time")));
        log.appendBatch("late", NOW.toEpochMilli(), List.of(event(NOW.minusSeconds(90), "late")));

        assertThat(log.removeBefore(NOW.minusSeconds(60).toEpochMilli(), 10)).isEqualTo(1);
        assertThat(log.batchIds()).isZero();
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void keepsAnOffenderRankingWithinAQuarterOfMaxBytesCountsItAndLetsItGoWithItsEvents() {
        EventLog log = new EventLog(MemoryStoreOptions.defaults().withMaxBytes(MemoryStoreOptions.MIN_MAX_BYTES));
        long now = NOW.toEpochMilli();
        log.append(blocked(100, "few:"));
        long withoutRanking = log.bytes();

        log.topOffenders(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 10);

        assertThat(log.rankingBytes()).isPositive();
        assertThat(log.bytes()).isEqualTo(withoutRanking + log.rankingBytes());

        log.append(blocked(2500, "many:"));
        log.topOffenders(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 10);

        assertThat(log.rankingBytes()).as("more than a quarter of maxBytes").isZero();
        assertThat(log.bytes()).isLessThanOrEqualTo(MemoryStoreOptions.MIN_MAX_BYTES);

        log.topOffenders(EventLog.Ranking.BLOCKED, now, now - 2 * EventLog.DAY, 2 * EventLog.DAY, 10);
        assertThat(log.rankingBytes()).isZero();
        log.removeBefore(Long.MAX_VALUE, 2000);
        log.topOffenders(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 10);
        assertThat(log.rankingBytes()).as("a ranking of the keys left").isPositive();

        log.removeBefore(Long.MAX_VALUE, 1);

        assertThat(log.rankingBytes()).as("its hours lost an event").isZero();
    }

    /** {@code count} blocked events of as many keys, two to three hours old: in a ranking's settled part. */
    private static List<RateLimitEvent> blocked(int count, String keyPrefix) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minusSeconds(7200 + i % 3600))
                    .key(keyPrefix + i)
                    .ruleName("api")
                    .path("/")
                    .method("GET")
                    .allowed(false)
                    .build());
        }
        return events;
    }

    private static EventLog log(long maxEvents, int maxBatchIds) {
        return new EventLog(
                MemoryStoreOptions.defaults().withMaxEvents(maxEvents).withMaxBatchIds(maxBatchIds));
    }

    private static RateLimitEvent event(Instant at, String key) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .path("/")
                .method("GET")
                .build();
    }

    private static List<String> newestFirst(EventLog log) {
        return log.events(EventQuery.builder().pageSize(1000).build()).events().stream()
                .map(RateLimitEvent::key)
                .toList();
    }
}
