package dev.tollgate.store.memory;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The aggregates against a full scan: rounds of appends (out of order, spread over days, minutes and
 * milliseconds), a moving clock, evictions past the bound and deletions, after each of which the
 * memory store must answer every query exactly as the reference store holding the same events does.
 */
class MemoryEventStoreAgreementTest {

    private static final Instant START = Instant.parse("2026-03-15T12:34:56.789Z");
    private static final int MAX_EVENTS = 1500;

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.close(vertx);
    }

    private record Appended(RateLimitEvent event, long order) {}

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void answersLikeAFullScanThroughAppendsEvictionsAndDeletions(long seed) {
        answersLikeAFullScan(seed, MemoryStoreOptions.defaults().withMaxEvents(MAX_EVENTS), "");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    void answersLikeAFullScanWhenBoundedInBytes(long seed) {
        // distinct paths of 400 characters: a little over a kilobyte an event, a thousand of them to a megabyte
        answersLikeAFullScan(
                seed,
                MemoryStoreOptions.defaults().withMaxBytes(MemoryStoreOptions.MIN_MAX_BYTES),
                "/" + "x".repeat(390));
    }

    private void answersLikeAFullScan(long seed, MemoryStoreOptions options, String pathPrefix) {
        Random random = new Random(seed);
        MutableClock clock = MutableClock.at(START);
        MemoryEventStore store = MemoryEventStore.create(vertx, clock, options);
        List<Appended> held = new ArrayList<>();
        long order = 0;

        for (int round = 0; round < 6; round++) {
            List<RateLimitEvent> batch = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                RateLimitEvent event = randomEvent(random, clock.instant());
                batch.add(
                        pathPrefix.isEmpty()
                                ? event
                                : event.toBuilder()
                                        .path(pathPrefix + order + "-" + i)
                                        .build());
            }
            await(store.append(batch));
            for (RateLimitEvent event : batch) {
                held.add(new Appended(event, order++));
            }
            held.sort(
                    Comparator.comparing((Appended a) -> a.event().timestamp()).thenComparingLong(Appended::order));
            // the oldest go first, whichever bound the append passed
            assertThat(store.size()).isLessThanOrEqualTo(options.maxEvents());
            assertThat(store.heapBytes()).isLessThanOrEqualTo(options.maxBytes());
            if (pathPrefix.isEmpty()) {
                assertThat(store.size()).as("far from maxBytes").isEqualTo(Math.min(held.size(), options.maxEvents()));
            }
            if (held.size() > store.size()) {
                held.subList(0, held.size() - (int) store.size()).clear();
            }

            clock.advance(Duration.ofMinutes(random.nextInt(600)).plusMillis(random.nextInt(60_000)));
            if (round % 2 == 1) {
                int days = 3 + random.nextInt(4);
                Instant cutoff = clock.instant().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS);
                await(store.deleteOlderThan(days, 1 + random.nextInt(50)));
                held.removeIf(appended -> appended.event().timestamp().isBefore(cutoff));
            }

            ScanningEventStore reference = new ScanningEventStore(clock);
            List<Appended> inAppendOrder = new ArrayList<>(held);
            inAppendOrder.sort(Comparator.comparingLong(Appended::order));
            await(reference.append(inAppendOrder.stream().map(Appended::event).toList()));
            assertSameAnswers(store, reference, 1, 2, 3, 7, 10);
        }
        if (!pathPrefix.isEmpty()) {
            assertThat(store.droppedEvents()).as("dropped past maxBytes").isPositive();
        }
    }

    /**
     * An event up to ten days before {@code now}, sometimes ahead of it, on a few keys, rules, paths and user agents; a
     * third blocked, a sixth shadow-blocked, half the allowed ones with an upstream status (most with a latency).
     */
    private static RateLimitEvent randomEvent(Random random, Instant now) {
        long age = random.nextInt(10) == 0
                ? random.nextInt(90_000) - 30_000
                : (long) (random.nextDouble() * Duration.ofDays(10).toMillis());
        int rule = random.nextInt(5);
        boolean allowed = random.nextInt(3) != 0;
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(now.minusMillis(age))
                .key("ip:10.0.0." + random.nextInt(12))
                .ruleName(rule == 0 ? "" : "rule-" + rule)
                .path("/p" + random.nextInt(30))
                .method(random.nextBoolean() ? "GET" : "POST")
                .allowed(allowed)
                .shadow(random.nextInt(4) == 0)
                .count(random.nextInt(20))
                .limit(10);
        if (random.nextInt(4) != 0) {
            event.userAgent("agent-" + random.nextInt(6));
        }
        if (allowed && random.nextBoolean()) {
            event.upstreamStatus(100 * (1 + random.nextInt(5)) + random.nextInt(4));
            if (random.nextInt(5) != 0) {
                event.upstreamLatency(Duration.ofNanos(1000L * random.nextInt(2_000_000)));
            }
        }
        return event.build();
    }
}
