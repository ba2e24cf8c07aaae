package dev.tollgate.store.memory;

import static dev.tollgate.store.memory.AgreementCheck.allEvents;
import static dev.tollgate.store.memory.AgreementCheck.assertSameAnswers;
import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.MutableClock;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemoryEventStoreBoundTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    private static Vertx vertx;
    private final MutableClock clock = MutableClock.at(NOW);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.close(vertx);
    }

    /** The {@code i}-th of a run of events, {@code i} hours and a few seconds old, over three keys and rules. */
    private static RateLimitEvent event(int i) {
        return RateLimitEvent.builder()
                .timestamp(NOW.minus(Duration.ofHours(i).plusSeconds(i * 7L)))
                .key("key-" + i % 3)
                .ruleName(i % 4 == 0 ? "" : "rule-" + i % 2)
                .path("/p" + i % 5)
                .method("GET")
                .allowed(i % 3 == 1)
                .shadow(i % 5 == 2)
                .count(i)
                .limit(10)
                .build();
    }

    @Test
    void keepsTheTenNewestOfFifteenAndCountsFiveDropped() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 10);
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            events.add(event(i));
        }

        await(store.append(events));

        assertThat(store.size()).isEqualTo(10);
        assertThat(store.droppedEvents()).isEqualTo(5);
        assertThat(allEvents(store)).isEqualTo(events.subList(0, 10));
        ScanningEventStore kept = new ScanningEventStore(clock);
        await(kept.append(events.subList(0, 10)));
        assertSameAnswers(store, kept, 1, 2, 30);
    }

    @Test
    void dropsTheOldestByTimestampNotByArrival() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 3);

        await(store.append(List.of(event(1), event(2), event(3))));
        await(store.append(List.of(event(9), event(0))));

        assertThat(allEvents(store)).containsExactly(event(0), event(1), event(2));
        assertThat(store.droppedEvents()).isEqualTo(2);
        ScanningEventStore kept = new ScanningEventStore(clock);
        await(kept.append(List.of(event(1), event(2), event(0))));
        assertSameAnswers(store, kept, 1, 7);
    }

    @Test
    void deletionsAreNotCountedAsDrops() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 100);
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(i));
        }
        await(store.append(events));

        assertThat(await(store.deleteOlderThan(1, 7))).isEqualTo(26);

        assertThat(store.size()).isEqualTo(24);
        assertThat(store.droppedEvents()).isZero();
    }

    @Test
    void aBatchLargerThanTheBoundKeepsItsNewestEvents() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 1);

        await(store.append(List.of(event(5), event(2), event(7))));

        assertThat(allEvents(store)).containsExactly(event(2));
        assertThat(store.droppedEvents()).isEqualTo(2);
        assertThat(await(store.trafficSummary(1)).total()).isEqualTo(1);
    }

    @Test
    void takesTheBatchAsItWasWhenAppendWasCalled() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 100);
        List<RateLimitEvent> buffer = new ArrayList<>(List.of(event(1), event(2)));

        var appended = store.append(buffer);
        buffer.clear();
        await(appended);

        assertThat(allEvents(store)).containsExactly(event(1), event(2));
    }

    @Test
    void aFloodOfDistinctLongKeysStaysWithinMaxBytesDroppingTheOldestFirst() {
        long maxBytes = 4L << 20;
        MemoryEventStore store = MemoryEventStore.create(
                vertx, clock, MemoryStoreOptions.defaults().withMaxBytes(maxBytes));
        Random random = new Random(5);
        List<RateLimitEvent> appended = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            List<RateLimitEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = batch * 500 + i;
                // the batches arrive in time order, the events of a batch in any order within their ten minutes
                Instant at = NOW.minus(Duration.ofMinutes(400 - batch * 10L)).plusMillis(random.nextInt(600_000));
                events.add(RateLimitEvent.builder()
                        .timestamp(at)
                        .key(longKey(n))
                        .ruleName("rule-" + n % 3)
                        .path("/p" + n % 7)
                        .method("GET")
                        .allowed(n % 4 == 0)
                        .shadow(n % 6 == 1)
                        .count(n)
                        .limit(10)
                        .build());
            }
            await(store.append(events));
            appended.addAll(events);

            assertThat(store.heapBytes())
                    .as("after batch %d", batch)
                    .isPositive()
                    .isLessThanOrEqualTo(maxBytes);
        }

        assertThat(store.droppedEvents()).isPositive();
        assertThat(store.size() + store.droppedEvents()).isEqualTo(appended.size());
        List<RateLimitEvent> newestFirst = new ArrayList<>(appended);
        Collections.reverse(newestFirst);
        newestFirst.sort(Comparator.comparing(RateLimitEvent::timestamp).reversed());
        List<RateLimitEvent> kept = newestFirst.subList(0, (int) store.size());
        assertThat(allEvents(store)).as("the newest events, newest first").isEqualTo(kept);
        ScanningEventStore reference = new ScanningEventStore(clock);
        Set<RateLimitEvent> held = new HashSet<>(kept);
        await(reference.append(appended.stream().filter(held::contains).toList()));
        for (int days : new int[] {1, 2}) {
            assertThat(await(store.trafficSummary(days))).isEqualTo(await(reference.trafficSummary(days)));
            assertThat(await(store.topOffenders(days, 20))).isEqualTo(await(reference.topOffenders(days, 20)));
            assertThat(await(store.ruleHitCounts(days, 20))).isEqualTo(await(reference.ruleHitCounts(days, 20)));
            assertThat(await(store.timeSeries(days, 48))).isEqualTo(await(reference.timeSeries(days, 48)));
            for (RateLimitEvent event : List.of(kept.get(0), kept.get(kept.size() - 1), newestFirst.get(kept.size()))) {
                assertThat(await(store.offenderDetail(event.key(), days, 5)))
                        .isEqualTo(await(reference.offenderDetail(event.key(), days, 5)));
            }
        }
    }

    @Test
    void heapBytesGrowsWithTheEventsFallsWithTheirDeletionAndIsZeroOnceClosed() {
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, 1000);
        long empty = store.heapBytes();
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(i));
        }

        await(store.append(events));
        long full = store.heapBytes();
        await(store.deleteOlderThan(1));
        long half = store.heapBytes();
        await(store.close());

        assertThat(empty).isZero();
        assertThat(full).isGreaterThan(50 * 57);
        assertThat(half).isBetween(1L, full - 1);
        assertThat(store.heapBytes()).isZero();
    }

    @Test
    void remembersNoMoreBatchIdsThanConfigured() {
        MemoryEventStore store = MemoryEventStore.create(
                vertx, clock, MemoryStoreOptions.defaults().withMaxBatchIds(2));

        for (String id : List.of("a", "b", "c")) {
            assertThat(await(store.appendBatch(id, List.of(event(1))))).isTrue();
        }

        assertThat(await(store.appendBatch("c", List.of(event(1))))).isFalse();
        assertThat(await(store.appendBatch("a", List.of(event(1))))).isTrue();
    }

    private static String longKey(int n) {
        return ("user:" + n + ":").repeat(RateLimitEvent.MAX_KEY).substring(0, RateLimitEvent.MAX_KEY);
    }

    @Test
    void closingAfterVertxHasStoppedStillSucceeds() {
        Vertx own = Vertx.vertx();
        MemoryEventStore store = MemoryEventStore.create(own, clock, 100);
        Await.close(own);

        await(store.close());

        assertThat(store.size()).isZero();
    }
}
