package dev.tollgate.bench;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.TimeRange;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The dashboard's queries over a large event log: fills a store with N events spread over the last
 * seven days (50,000 client keys, a fifth of them noisy, 8 rules, a quarter blocked), then times
 * the summary, top offenders, rule hits and time series of the 7-day window, median of repeated runs; then every
 * report over each of the dashboard's {@link TimeRange ranges} (15m to 30d): summary, top offenders, top shadow
 * offenders, rule hits, the range's chart, a noisy key's drill-down, and the panel queries (top blocked paths and
 * user agents, upstream stats, blocked by rule, an offender's timeline). Events carry one of 40 user agents; served
 * ones an upstream status (mostly 200) and a latency of 1 to 500 ms.
 * The store's clock moves on by {@link #STEP} before every call, as it would between a dashboard's
 * refreshes, so that each call's window is a little later than the last one's.
 * A store that already holds exactly these events (a PostgreSQL database filled by an earlier run) is
 * queried without filling it again.
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.DashboardQueries
 * STORE [events] [runs] [config-json] [ranges]}, e.g. {@code memory 10000000 15}; {@code ranges} names the ranges to
 * time, comma-separated ({@code 15m,1h}), all of them unless given, {@code none} for none.
 */
public final class DashboardQueries {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00.000Z");
    private static final int KEYS = 50_000;
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final List<String> AGENTS = java.util.stream.IntStream.range(0, 40)
            .mapToObj(i -> "Mozilla/5.0 (compatible; client-" + i + "/1." + i + ")")
            .toList();

    private DashboardQueries() {}

    public static void main(String[] args) throws Exception {
        String storeName = args.length > 0 ? args[0] : "memory";
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        JsonObject config = args.length > 3 ? new JsonObject(args[3]) : new JsonObject().put("maxEvents", events);
        Vertx vertx = Vertx.vertx();
        MovingClock clock = new MovingClock(NOW);
        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create(storeName, vertx, Settings.of("events." + storeName, config), clock));
        try {
            if (await(store.trafficSummary(7)).total() == events) {
                System.out.printf("%s: already holds the %,d events%n", storeName, events);
            } else {
                long started = System.nanoTime();
                fill(store, events);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "%s: appended %,d events in %.1f s (%,.0f events/s)%n",
                        storeName, events, seconds, events / seconds);
            }
            System.out.printf(
                    "summary of the 7-day window: %s%n",
                    await(store.trafficSummary(7)).toJson().encode());
            time("trafficSummary(7)", runs, clock, () -> store.trafficSummary(7));
            time("topOffenders(7, 20)", runs, clock, () -> store.topOffenders(7, 20));
            time("ruleHitCounts(7, 20)", runs, clock, () -> store.ruleHitCounts(7, 20));
            time("timeSeries(7, 168)", runs, clock, () -> store.timeSeries(7, 168));
            time("trafficSummary(1)", runs, clock, () -> store.trafficSummary(1));
            String noisy = key(7);
            for (TimeRange range : ranges(args.length > 4 ? args[4] : "")) {
                String r = range.name();
                time("trafficSummary(" + r + ")", runs, clock, () -> store.trafficSummary(range));
                time("topOffenders(" + r + ", 20)", runs, clock, () -> store.topOffenders(range, 20));
                time("topShadowOffenders(" + r + ")", runs, clock, () -> store.topShadowOffenders(range, 20));
                time("ruleHitCounts(" + r + ", 20)", runs, clock, () -> store.ruleHitCounts(range, 20));
                time("timeSeries(" + r + ")", runs, clock, () -> store.timeSeries(range));
                time("offenderDetail(" + r + ")", runs, clock, () -> store.offenderDetail(noisy, range, 50));
                time("topBlockedPaths(" + r + ", 20)", runs, clock, () -> store.topBlockedPaths(range, 20));
                time("topBlockedUserAgents(" + r + ", 20)", runs, clock, () -> store.topBlockedUserAgents(range, 20));
                time("upstreamStats(" + r + ")", runs, clock, () -> store.upstreamStats(range));
                time("blockedByRule(" + r + ", 5)", runs, clock, () -> store.blockedByRule(range, 5));
                time(
                        "offenderTimeline(" + r + ", 10)",
                        runs,
                        clock,
                        () -> store.offenderTimeline("ip:10.0.0.7", range, 10));
            }
        } finally {
            await(store.close());
            await(vertx.close());
        }
    }

    private static List<TimeRange> ranges(String names) {
        if (names.isEmpty()) {
            return TimeRange.NAMED;
        }
        if (names.equals("none")) {
            return List.of();
        }
        return Arrays.stream(names.split(","))
                .map(name -> TimeRange.parse(name)
                        .orElseThrow(() -> new IllegalArgumentException("no range " + name + ": " + TimeRange.NAMES)))
                .toList();
    }

    private static String key(int key) {
        return "ip:10." + (key >> 16 & 255) + "." + (key >> 8 & 255) + "." + (key & 255);
    }

    private static void fill(EventStore store, long events) {
        SplittableRandom random = new SplittableRandom(7);
        long span = Duration.ofDays(7).toMillis() - 1;
        long start = NOW.toEpochMilli() - span;
        List<Future<Void>> pending = new ArrayList<>();
        List<RateLimitEvent> batch = new ArrayList<>(10_000);
        for (long i = 0; i < events; i++) {
            boolean noisy = random.nextInt(5) == 0;
            int key = noisy ? random.nextInt(KEYS / 5) : random.nextInt(KEYS);
            boolean blocked = noisy ? random.nextInt(2) == 0 : random.nextInt(20) == 0;
            batch.add(RateLimitEvent.builder()
                    .timestamp(Instant.ofEpochMilli(start + i * span / events))
                    .key(key(key))
                    .ruleName("rule-" + random.nextInt(8))
                    .path("/api/items/" + random.nextInt(100))
                    .method(random.nextInt(4) == 0 ? "POST" : "GET")
                    .allowed(!blocked)
                    .count(1)
                    .limit(100)
                    .userAgent(AGENTS.get(random.nextInt(AGENTS.size())))
                    .build());
            if (!blocked) {
                int status = random.nextInt(50) == 0 ? 503 : random.nextInt(20) == 0 ? 404 : 200;
                batch.set(
                        batch.size() - 1,
                        batch.get(batch.size() - 1).toBuilder()
                                .upstreamStatus(status)
                                .upstreamLatency(Duration.ofNanos(1_000_000L + random.nextLong(499_000_000L)))
                                .build());
            }
            if (batch.size() == 10_000) {
                pending.add(store.append(batch));
                batch = new ArrayList<>(10_000);
                if (pending.size() == 8) {
                    await(Future.all(pending));
                    pending.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            pending.add(store.append(batch));
        }
        await(Future.all(pending));
    }

    private static void time(String query, int runs, MovingClock clock, Supplier<Future<?>> call) {
        clock.reset();
        for (int i = 0; i < 3; i++) {
            clock.step();
            await(call.get());
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            clock.step();
            long started = System.nanoTime();
            await(call.get());
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(
                "%-34s median %8.2f ms   min %8.2f ms   max %8.2f ms%n",
                query, millis[runs / 2], millis[0], millis[runs - 1]);
    }

    /** A UTC clock standing at a given instant until moved on by {@link #STEP}. */
    private static final class MovingClock extends Clock {

        private final Instant start;
        private final AtomicLong millis = new AtomicLong();

        MovingClock(Instant start) {
            this.start = start;
            reset();
        }

        void reset() {
            millis.set(start.toEpochMilli());
        }

        void step() {
            millis.addAndGet(STEP.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            if (!ZoneOffset.UTC.equals(zone)) {
                throw new UnsupportedOperationException("a UTC clock");
            }
            return this;
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
