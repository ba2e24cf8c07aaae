package dev.tollgate.bench;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.store.memory.MemoryEventStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Heap bytes per event of the memory event store, for the heap guidance of docs/operations.md: one million events
 * spread over the last day (one every 86 ms) from {@code keys} distinct client addresses, 10% of them blocked, on
 * 100 paths; measured as the heap used after full collections before and after the fill, beside the store's own
 * estimate ({@link MemoryEventStore#heapBytes()}).
 *
 * <p>Usage: {@code java -Xmx3g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * dev.tollgate.bench.StoreFootprint [keys] [events]}.
 */
public final class StoreFootprint {

    private StoreFootprint() {}

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Instant now = Instant.parse("2027-01-01T12:00:00Z");
        Vertx vertx = Vertx.vertx();
        try {
            MemoryEventStore store = MemoryEventStore.create(vertx, Clock.fixed(now, ZoneOffset.UTC), 10L * events);
            long before = usedAfterCollections();
            List<RateLimitEvent> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                int client = i % keys;
                batch.add(new RateLimitEvent(
                        now.minusMillis((long) (events - i) * 86),
                        "ip:10." + (client >> 16) + "." + ((client >> 8) & 255) + "." + (client & 255),
                        "api",
                        "/api/items/" + (i % 100),
                        "GET",
                        i % 10 != 0,
                        1,
                        100,
                        Optional.empty(),
                        Optional.empty(),
                        false));
                if (batch.size() == 1_000 || i == events - 1) {
                    store.append(batch)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get();
                    batch = new ArrayList<>();
                }
            }
            long after = usedAfterCollections();
            long estimate = store.heapBytes(); // the store is still in use here, so it was alive when measured
            System.out.printf(
                    Locale.ROOT,
                    "%,d events from %,d keys: %.1f bytes/event measured, %.1f by heapBytes()%n",
                    events,
                    keys,
                    (after - before) / (double) events,
                    estimate / (double) events);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static long usedAfterCollections() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
