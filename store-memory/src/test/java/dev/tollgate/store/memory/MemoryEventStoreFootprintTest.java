package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.MutableClock;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's estimate of its heap against the heap it takes, measured: the used heap after a full collection,
 * with the store filled, less the same without it. The estimate is meant to be close; the test asks for a factor
 * of two either way, so that the collector's rounding (regions, other threads' garbage) never decides it.
 */
class MemoryEventStoreFootprintTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");
    private static final int EVENTS = 200_000;

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
    void estimatesTheHeapOfEventsFromAFewThousandClientsWithinAFactorOfTwo() {
        assertEstimateWithinAFactorOfTwo(n -> "ip:10.0." + n % 5000 / 250 + "." + n % 250);
    }

    @Test
    void estimatesTheHeapOfEventsWithDistinctLongKeysWithinAFactorOfTwo() {
        assertEstimateWithinAFactorOfTwo(
                n -> ("user:" + n + ":").repeat(RateLimitEvent.MAX_KEY).substring(0, RateLimitEvent.MAX_KEY));
    }

    private void assertEstimateWithinAFactorOfTwo(IntFunction<String> key) {
        MemoryEventStore store = MemoryEventStore.create(
                vertx, MutableClock.at(NOW), MemoryStoreOptions.defaults().withMaxEvents(EVENTS));
        long before = usedHeapAfterCollection();

        long estimate;
        long measured;
        try {
            fill(store, key);
            estimate = store.heapBytes();
            measured = usedHeapAfterCollection() - before;
        } finally {
            Reference.reachabilityFence(store);
        }

        assertThat(store.size()).isEqualTo(EVENTS);
        assertThat((double) estimate / measured)
                .as(
                        "estimate %d bytes (%d an event), measured %d bytes (%d an event)",
                        estimate, estimate / EVENTS, measured, measured / EVENTS)
                .isBetween(0.5, 2.0);
        await(store.close());
    }

    /** Events over a week, in batches of a thousand, which are garbage once appended. */
    private static void fill(MemoryEventStore store, IntFunction<String> key) {
        long span = Duration.ofDays(7).toMillis();
        for (int from = 0; from < EVENTS; from += 1000) {
            List<RateLimitEvent> batch = new ArrayList<>(1000);
            for (int n = from; n < from + 1000; n++) {
                batch.add(RateLimitEvent.builder()
                        .timestamp(NOW.minusMillis(span - span * n / EVENTS))
                        .key(key.apply(n))
                        .ruleName(n % 5 == 0 ? "" : "rule-" + n % 3)
                        .path("/api/p" + n % 40)
                        .method(n % 3 == 0 ? "POST" : "GET")
                        .allowed(n % 4 != 0)
                        .count(n % 20)
                        .limit(10)
                        .ipAddress("10.0." + n % 5000 / 250 + "." + n % 250)
                        .build());
            }
            await(store.append(batch));
        }
    }

    /** The used heap after full collections, the least of a few, so that a collection cut short does not count. */
    private static long usedHeapAfterCollection() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
