package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.events.TimeRange;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key filter of a minute, which lets an offender's drill-down skip the minutes without the key: it must never
 * skip one that holds it, whatever came and went, and the drill-down must answer as a full scan does.
 */
class MinuteKeyFilterTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");
    /** Two keys with the same {@link String#hashCode()}: they set the same bits of every filter. */
    private static final String KEY = "ip:Aa";

    private static final String SAME_HASH = "ip:BB";

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.close(vertx);
    }

    @Test
    void neverSkipsAMinuteHoldingTheKeyThroughLateEventsRemovalsCompactionAndResizing() {
        Random random = new Random(11);
        SharedStrings strings = new SharedStrings();
        long start = EventLog.floor(NOW.toEpochMilli(), EventLog.MINUTE);
        Minute minute = new Minute(start, strings);
        Deque<StoredEvent> held = new ArrayDeque<>();
        long sequence = 0;
        for (int step = 0; step < 20_000; step++) {
            // grows to a few thousand events, then mostly shrinks, so that the columns double, compact and halve
            boolean add = held.isEmpty() || random.nextInt(100) < (step < 10_000 ? 70 : 30);
            if (add) {
                RateLimitEvent event = RateLimitEvent.builder()
                        .timestamp(Instant.ofEpochMilli(start + random.nextInt(60_000)))
                        .key("ip:" + random.nextInt(5000))
                        .path("/")
                        .method("GET")
                        .build();
                StoredEvent stored = new StoredEvent(event, sequence++, strings);
                minute.add(stored);
                held.add(stored);
            } else {
                StoredEvent removed = minute.removeFirst();
                held.removeIf(event -> event.sequence == removed.sequence);
            }
            if (step % 97 == 0) {
                List<String> skipped = new ArrayList<>();
                for (StoredEvent event : held) {
                    if (!minute.mightHold(Minute.keyHash(event.key))) {
                        skipped.add(event.key);
                    }
                }
                assertThat(skipped)
                        .as("held keys the filter denies, step %d", step)
                        .isEmpty();
            }
        }
        assertThat(minute.size()).isEqualTo(held.size());
    }

    @Test
    void letsMostKeysThatAMinuteDoesNotHoldPassItBy() {
        SharedStrings strings = new SharedStrings();
        Minute minute = new Minute(EventLog.floor(NOW.toEpochMilli(), EventLog.MINUTE), strings);
        for (int i = 0; i < 1000; i++) {
            minute.add(new StoredEvent(event(NOW, "held:" + i, true), i, strings));
        }

        long passedInVain = 0;
        for (int i = 0; i < 10_000; i++) {
            if (minute.mightHold(Minute.keyHash("absent:" + i))) {
                passedInVain++;
            }
        }

        assertThat(passedInVain).as("of 10,000 absent keys").isLessThan(500);
    }

    @Test
    void findsAKeyPresentInOnlyOneHourOfTwoDays() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int minute = 0; minute < 48 * 60; minute += 7) {
            Instant at = NOW.minus(Duration.ofMinutes(minute));
            events.add(event(at, "ip:" + minute % 50, minute % 3 == 0));
            events.add(event(at.plusMillis(1), "ip:" + (minute + 1) % 50, true));
        }
        Instant inTheHour = NOW.minus(Duration.ofHours(30));
        events.add(event(inTheHour, "ip:once", false));
        events.add(event(inTheHour.plusSeconds(1), "ip:once", true));

        assertSameDetails(events, Duration.ZERO, "ip:once", "ip:7", "ip:never");
    }

    @Test
    void answersNothingForAKeyWhoseEventsWereDeletedFromMinutesThatHoldOthers() {
        List<RateLimitEvent> events = new ArrayList<>();
        // the deleted key's events share their minute with events that stay (the deletion ends 56.789 s into it): the
        // minute's filter still has the deleted key's bits
        Instant cutoff = NOW.minus(Duration.ofDays(3));
        for (int i = 0; i < 20; i++) {
            events.add(event(cutoff.minusSeconds(6).plusMillis(i), "ip:deleted", false));
            events.add(event(cutoff.plusSeconds(2).plusMillis(i), "ip:stays", true));
        }
        // and one more of the deleted key, later, so that its text is still held
        events.add(event(NOW.minus(Duration.ofHours(2)), "ip:deleted", true));

        assertSameDetails(events, Duration.ofDays(3), "ip:deleted", "ip:stays");
    }

    @Test
    void countsOnlyItsOwnEventsForAKeyThatHashesLikeAnother() {
        assertThat(KEY.hashCode()).isEqualTo(SAME_HASH.hashCode());
        List<RateLimitEvent> events = new ArrayList<>();
        for (int hour = 0; hour < 30; hour++) {
            Instant at = NOW.minus(Duration.ofHours(hour));
            events.add(event(at, KEY, hour % 2 == 0));
            if (hour % 3 == 0) {
                events.add(event(at.plusMillis(5), SAME_HASH, false));
            }
            events.add(event(at.plusMillis(9), "ip:other", true));
        }

        assertSameDetails(events, Duration.ZERO, KEY, SAME_HASH, "ip:other");
    }

    /**
     * Stores {@code events} in the memory store and the reference store, deletes what is older than {@code keep}
     * (unless zero), and compares the drill-down of each of {@code keys} over every range and in days.
     */
    private static void assertSameDetails(List<RateLimitEvent> events, Duration keep, String... keys) {
        MutableClock clock = MutableClock.at(NOW);
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, MemoryStoreOptions.defaults());
        EventStore reference = new ScanningEventStore(clock);
        await(store.append(events));
        await(reference.append(events));
        if (!keep.isZero()) {
            int days = (int) keep.toDays();
            long deleted = await(store.deleteOlderThan(days, 1000));
            assertThat(deleted).isPositive().isEqualTo(await(reference.deleteOlderThan(days, 1000)));
        }
        for (String key : keys) {
            for (TimeRange range : TimeRange.NAMED) {
                OffenderDetail detail = await(store.offenderDetail(key, range, 5));
                assertThat(detail)
                        .as("%s over %s", key, range.name())
                        .isEqualTo(await(reference.offenderDetail(key, range, 5)));
            }
            for (int days : new int[] {1, 2, 7}) {
                assertThat(await(store.offenderDetail(key, days, 5)))
                        .as("%s over %d days", key, days)
                        .isEqualTo(await(reference.offenderDetail(key, days, 5)));
            }
        }
        assertThat(await(store.offenderDetail(keys[0], 7, 5)).total())
                .as("the first key has events to find")
                .isPositive();
        await(store.close());
    }

    private static RateLimitEvent event(Instant at, String key, boolean allowed) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .ruleName("api")
                .path(allowed ? "/" : "/login")
                .method("GET")
                .allowed(allowed)
                .build();
    }
}
