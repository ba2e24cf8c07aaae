package dev.tollgate.store.memory;

import static dev.tollgate.store.memory.AgreementCheck.allEvents;
import static dev.tollgate.store.memory.AgreementCheck.assertSameAnswers;
import static dev.tollgate.store.memory.AgreementCheck.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.MutableClock;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.ScanningEventStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        await(vertx.close());
    }

    /** The {@code i}-th of a run of events, {@code i} hours and a few seconds old, over three keys and rules. */
    private static RateLimitEvent event(int i) {
        return RateLimitEvent.builder().timestamp(NOW.minus(Duration.ofHours(i).plusSeconds(i * 7L)))
                .key("key-" + i % 3).ruleName(i % 4 == 0 ? "" : "rule-" + i % 2).path("/p" + i % 5).method("GET")
                .allowed(i % 3 == 1).count(i).limit(10).build();
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
    void closingAfterVertxHasStoppedStillSucceeds() {
        Vertx own = Vertx.vertx();
        MemoryEventStore store = MemoryEventStore.create(own, clock, 100);
        await(own.close());

        await(store.close());

        assertThat(store.size()).isZero();
    }
}
