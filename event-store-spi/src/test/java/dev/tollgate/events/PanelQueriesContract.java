package dev.tollgate.events;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.spi.PanelRules;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's panel queries over a {@link TimeRange} ({@link EventStore#topBlockedPaths},
 * {@link EventStore#topBlockedUserAgents}, {@link EventStore#upstreamStats}, {@link EventStore#blockedByRule},
 * {@link EventStore#offenderTimeline}) as every store owes them: exact numbers worked out by hand, window edges, limits,
 * and agreement with {@link ScanningEventStore} on a random log for every named range. A store's test extends this
 * class and says how to {@link #open} an empty store, as for {@link EventStoreContract}.
 *
 * <p>The clock stands at {@link #NOW}, on no second, minute or hour boundary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PanelQueriesContract {

    /** Where the clock stands when each test starts. */
    protected static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    protected Vertx vertx;
    protected MutableClock clock;
    protected EventStore store;

    /** An empty store of the kind under test, reading time from {@code clock}. */
    protected abstract Future<EventStore> open(Vertx vertx, Clock clock);

    @BeforeAll
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stopVertx() {
        Await.close(vertx);
    }

    @BeforeEach
    void openStore() {
        clock = MutableClock.at(NOW);
        store = await(open(vertx, clock));
    }

    @AfterEach
    void closeStore() {
        await(store.close());
    }

    // ---- top blocked paths and user agents ------------------------------------------------------

    @Test
    void topBlockedPathsCountBlockedEventsPerPathDescendingThenByPath() {
        append(
                blocked("a", seconds(10), "/login", "curl/8"),
                blocked("b", seconds(20), "/login", "curl/8"),
                blocked("c", seconds(30), "/login", null),
                blocked("a", seconds(40), "/b", "bot/1"),
                blocked("a", seconds(50), "/a", "bot/1"),
                allowed("a", seconds(60), "/z", "curl/8"),
                shadowBlocked("a", seconds(70), "/z", "curl/8"));

        assertThat(await(store.topBlockedPaths(TimeRange.HOUR, 10)))
                .containsExactly(new BlockedCount("/login", 3), new BlockedCount("/a", 1), new BlockedCount("/b", 1));
        assertThat(await(store.topBlockedPaths(TimeRange.HOUR, 2)))
                .containsExactly(new BlockedCount("/login", 3), new BlockedCount("/a", 1));
        assertThat(await(store.topBlockedUserAgents(TimeRange.HOUR, 10)))
                .as("the blocked event without a user agent is left out")
                .containsExactly(new BlockedCount("bot/1", 2), new BlockedCount("curl/8", 2));
        assertThat(await(store.topBlockedPaths(TimeRange.HOUR, 1))
                        .get(0)
                        .toJson("path", "blocked")
                        .encode())
                .isEqualTo("{\"path\":\"/login\",\"blocked\":3}");
    }

    @Test
    void theRangeIncludesItsFirstMillisecondAndNotTheOneBefore() {
        Duration length = TimeRange.MINUTES_15.length();
        append(
                blocked("a", length, "/first", "ua/first"),
                blocked("a", length.plusMillis(1), "/before", "ua/before"),
                blocked("a", Duration.ofSeconds(-5), "/ahead", "ua/ahead"));

        assertThat(await(store.topBlockedPaths(TimeRange.MINUTES_15, 10)))
                .containsExactly(new BlockedCount("/ahead", 1), new BlockedCount("/first", 1));
        assertThat(await(store.topBlockedUserAgents(TimeRange.MINUTES_15, 10)))
                .containsExactly(new BlockedCount("ua/ahead", 1), new BlockedCount("ua/first", 1));
        BlockedByRule byRule = await(store.blockedByRule(TimeRange.MINUTES_15, 5));
        assertThat(byRule.buckets().get(0).other()).isEqualTo(1);
        assertThat(byRule.buckets().get(byRule.buckets().size() - 1).other()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));

        assertThat(await(store.topBlockedPaths(TimeRange.MINUTES_15, 10)))
                .containsExactly(new BlockedCount("/ahead", 1));
    }

    @Test
    void anEmptyStoreAnswersEmptyPanels() {
        for (TimeRange range : TimeRange.NAMED) {
            assertThat(await(store.topBlockedPaths(range, 10))).isEmpty();
            assertThat(await(store.topBlockedUserAgents(range, 10))).isEmpty();
            UpstreamStats stats = await(store.upstreamStats(range));
            assertThat(stats.total()).isZero();
            assertThat(stats.p50()).isEmpty();
            BlockedByRule byRule = await(store.blockedByRule(range, 3));
            assertThat(byRule.rules()).isEmpty();
            assertThat(byRule.buckets()).hasSize(range.buckets());
            assertThat(byRule.buckets()).allMatch(bucket -> bucket.other() == 0);
            OffenderTimeline timeline = await(store.offenderTimeline("ip:192.0.2.1", range, 5));
            assertThat(timeline.buckets()).hasSize(range.buckets()).allMatch(bucket -> bucket.total() == 0);
            assertThat(timeline.userAgents()).isEmpty();
        }
    }

    // ---- upstream stats --------------------------------------------------------------------------

    @Test
    void upstreamStatsCountStatusClassesOfServedEventsAndTheirLatencyPercentiles() {
        List<RateLimitEvent> events = new ArrayList<>();
        // latencies 1..10 µs (exact in the histogram): p50 5 µs, p95 and p99 10 µs
        for (int i = 1; i <= 10; i++) {
            events.add(upstream(seconds(i), i <= 6 ? 200 : i <= 8 ? 404 : 503, Duration.ofNanos(i * 1000L)));
        }
        events.add(upstream(seconds(11), 101, Duration.ofNanos(3000)).toBuilder()
                .upstreamLatency(Duration.ofNanos(3000))
                .build());
        events.add(upstream(seconds(12), 302, Duration.ofNanos(4000)));
        // a refused event that claims an upstream status counts nowhere; events without one neither
        events.add(upstream(seconds(13), 200, Duration.ofNanos(1000)).toBuilder()
                .allowed(false)
                .build());
        events.add(allowed("a", seconds(14), "/", "curl/8"));
        append(events);

        UpstreamStats stats = await(store.upstreamStats(TimeRange.HOUR));

        assertThat(stats.classes()).containsExactly(1L, 6L, 1L, 2L, 2L);
        assertThat(stats.total()).isEqualTo(12);
        // 12 latencies sorted: 1,2,3,3,4,4,5,6,7,8,9,10 → rank 6 is 4 µs, rank 12 is 10 µs
        assertThat(stats.p50()).contains(Duration.ofNanos(4000));
        assertThat(stats.p95()).contains(Duration.ofNanos(10_000));
        assertThat(stats.p99()).contains(Duration.ofNanos(10_000));
        assertThat(stats.toJson().encode())
                .isEqualTo("{\"range\":\"1h\",\"total\":12,"
                        + "\"status_classes\":{\"1xx\":1,\"2xx\":6,\"3xx\":1,\"4xx\":2,\"5xx\":2},"
                        + "\"latency_ms\":{\"p50\":0.004,\"p95\":0.01,\"p99\":0.01}}");
    }

    @Test
    void upstreamLatencyPercentilesAreWithinTheHistogramsPrecision() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            events.add(upstream(seconds(i), 200, Duration.ofMillis(i * 7L)));
        }
        append(events);

        UpstreamStats stats = await(store.upstreamStats(TimeRange.HOUR));

        assertWithin(stats.p50().orElseThrow(), Duration.ofMillis(350));
        assertWithin(stats.p95().orElseThrow(), Duration.ofMillis(665));
        assertWithin(stats.p99().orElseThrow(), Duration.ofMillis(693));
    }

    // ---- blocked by rule -------------------------------------------------------------------------

    @Test
    void blockedByRuleSeriesTheTopRulesPerBucketAndTheRestAsOther() {
        TimeRange range = TimeRange.MINUTES_15;
        // NOW − 15 min is the first bucket's start; bucket i spans [start + 10 s × i, start + 10 s × (i + 1))
        Duration first = range.length().minusSeconds(1);
        Duration last = Duration.ofSeconds(1);
        append(
                rule(blocked("a", first, "/", null), "login"),
                rule(blocked("b", first, "/", null), "login"),
                rule(blocked("a", last, "/", null), "login"),
                rule(blocked("a", last, "/", null), "api"),
                rule(blocked("a", last, "/", null), "api"),
                rule(blocked("a", first, "/", null), "export"),
                blocked("a", last, "/", null),
                rule(allowed("a", last, "/", null), "login"),
                rule(shadowBlocked("a", last, "/", null), "trial"));

        BlockedByRule two = await(store.blockedByRule(range, 2));

        assertThat(two.rules()).containsExactly("login", "api");
        assertThat(two.buckets()).hasSize(90);
        assertThat(two.buckets().get(0).start()).isEqualTo(NOW.minus(range.length()));
        assertThat(two.buckets().get(89).end()).isEqualTo(NOW);
        assertThat(two.buckets().get(0).blocked()).containsExactly(2L, 0L);
        assertThat(two.buckets().get(0).other()).isEqualTo(1);
        assertThat(two.buckets().get(89).blocked()).containsExactly(1L, 2L);
        assertThat(two.buckets().get(89).other()).as("a block naming no rule").isEqualTo(1);
        assertThat(two.buckets().subList(1, 89))
                .allMatch(bucket ->
                        bucket.other() == 0 && bucket.blocked().stream().allMatch(count -> count == 0));

        BlockedByRule one = await(store.blockedByRule(range, 1));
        assertThat(one.rules()).containsExactly("login");
        assertThat(one.buckets().get(89).other()).isEqualTo(3);
        assertThat(one.toJson().getJsonArray("buckets").getJsonObject(89).encode())
                .isEqualTo("{\"start\":\"2026-03-15T12:34:46.789Z\",\"end\":\"2026-03-15T12:34:56.789Z\","
                        + "\"blocked\":{\"login\":1},\"other\":3}");
    }

    // ---- offender timeline -----------------------------------------------------------------------

    @Test
    void anOffendersTimelineCountsItsOutcomesPerMinuteAndItsUserAgents() {
        append(
                blocked("ip:203.0.113.5", seconds(30), "/login", "curl/8"),
                blocked("ip:203.0.113.5", seconds(40), "/login", "curl/8"),
                allowed("ip:203.0.113.5", seconds(50), "/login", "Mozilla/5.0"),
                shadowBlocked("ip:203.0.113.5", minutes(5).plusSeconds(10), "/x", null),
                allowed("ip:203.0.113.5", minutes(59).plusSeconds(30), "/x", "curl/8"),
                allowed("ip:203.0.113.5", minutes(61), "/x", "old/1"),
                blocked("ip:198.51.100.7", seconds(30), "/login", "other/1"));

        OffenderTimeline timeline = await(store.offenderTimeline("ip:203.0.113.5", TimeRange.HOUR, 10));

        assertThat(timeline.key()).isEqualTo("ip:203.0.113.5");
        assertThat(timeline.buckets()).hasSize(60);
        TimeSeries.Bucket newest = timeline.buckets().get(59);
        assertThat(List.of(newest.allowed(), newest.blocked(), newest.shadowBlocked()))
                .containsExactly(1L, 2L, 0L);
        TimeSeries.Bucket fiveAgo = timeline.buckets().get(54);
        assertThat(List.of(fiveAgo.allowed(), fiveAgo.blocked(), fiveAgo.shadowBlocked()))
                .containsExactly(0L, 0L, 1L);
        assertThat(timeline.buckets().get(0).allowed()).isEqualTo(1);
        assertThat(timeline.buckets().stream()
                        .mapToLong(TimeSeries.Bucket::total)
                        .sum())
                .isEqualTo(5);
        assertThat(timeline.userAgents())
                .containsExactly(new BlockedCount("curl/8", 3), new BlockedCount("Mozilla/5.0", 1));
        assertThat(await(store.offenderTimeline("ip:203.0.113.5", TimeRange.HOUR, 1))
                        .userAgents())
                .containsExactly(new BlockedCount("curl/8", 3));
        assertThat(timeline.toJson().getJsonArray("user_agents").encode())
                .isEqualTo("[{\"user_agent\":\"curl/8\",\"count\":3},{\"user_agent\":\"Mozilla/5.0\",\"count\":1}]");
    }

    @Test
    void anUnknownKeyHasAnEmptyTimelineAndAnOverlongKeyIsLookedUpTruncated() {
        String longKey = "k".repeat(300);
        append(blocked(longKey, seconds(5), "/", "ua/1"));

        OffenderTimeline timeline = await(store.offenderTimeline(longKey, TimeRange.MINUTES_15, 5));

        assertThat(timeline.key()).hasSize(RateLimitEvent.MAX_KEY);
        assertThat(timeline.buckets().get(89).blocked()).isEqualTo(1);
        assertThat(await(store.offenderTimeline("nobody", TimeRange.MINUTES_15, 5))
                        .buckets())
                .allMatch(bucket -> bucket.total() == 0);
    }

    // ---- agreement with the reference on a random log -----------------------------------------------

    @Test
    void everyPanelAgreesWithTheReferenceStoreForEveryNamedRange() {
        ScanningEventStore reference = new ScanningEventStore(clock);
        Random random = new Random(18);
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // most events recent, some over the whole month, a few ahead of the clock
            long ago = i % 10 == 0
                    ? (long) (random.nextDouble() * Duration.ofDays(31).toMillis())
                    : (long) (random.nextDouble() * Duration.ofHours(2).toMillis()) - 2000;
            events.add(randomEvent(random, NOW.minusMillis(ago)));
        }
        append(events);
        await(reference.append(events));

        for (TimeRange range : TimeRange.NAMED) {
            assertThat(await(store.topBlockedPaths(range, 5)))
                    .as(range.name())
                    .isEqualTo(await(reference.topBlockedPaths(range, 5)));
            assertThat(await(store.topBlockedUserAgents(range, 1000)))
                    .as(range.name())
                    .isEqualTo(await(reference.topBlockedUserAgents(range, 1000)));
            assertThat(await(store.upstreamStats(range)))
                    .as(range.name())
                    .isEqualTo(await(reference.upstreamStats(range)));
            assertThat(await(store.blockedByRule(range, 2)))
                    .as(range.name())
                    .isEqualTo(await(reference.blockedByRule(range, 2)));
            assertThat(await(store.offenderTimeline("ip:3", range, 3)))
                    .as(range.name())
                    .isEqualTo(await(reference.offenderTimeline("ip:3", range, 3)));
        }
    }

    // ---- arguments -------------------------------------------------------------------------------

    @Test
    void rejectsLimitsOutsideOneToAThousandAndMissingArguments() {
        for (int bad : new int[] {0, -1, PanelRules.MAX_ROWS + 1}) {
            assertRejected(store.topBlockedPaths(TimeRange.HOUR, bad), "limit");
            assertRejected(store.topBlockedUserAgents(TimeRange.HOUR, bad), "limit");
            assertRejected(store.blockedByRule(TimeRange.HOUR, bad), "maxRules");
            assertRejected(store.offenderTimeline("k", TimeRange.HOUR, bad), "userAgents");
        }
        assertRejected(store.topBlockedPaths(null, 10), "range");
        assertRejected(store.topBlockedUserAgents(null, 10), "range");
        assertRejected(store.upstreamStats(null), "range");
        assertRejected(store.blockedByRule(null, 10), "range");
        assertRejected(store.offenderTimeline("k", null, 10), "range");
        assertRejected(store.offenderTimeline(null, TimeRange.HOUR, 10), "key");
        assertThat(await(store.topBlockedPaths(TimeRange.HOUR, PanelRules.MAX_ROWS)))
                .isEmpty();
    }

    @Test
    void aClosedStoreFailsEveryPanel() {
        await(store.close());

        assertFailsWithStoreException(store.topBlockedPaths(TimeRange.HOUR, 10));
        assertFailsWithStoreException(store.topBlockedUserAgents(TimeRange.HOUR, 10));
        assertFailsWithStoreException(store.upstreamStats(TimeRange.HOUR));
        assertFailsWithStoreException(store.blockedByRule(TimeRange.HOUR, 10));
        assertFailsWithStoreException(store.offenderTimeline("k", TimeRange.HOUR, 10));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static RateLimitEvent randomEvent(Random random, Instant at) {
        int outcome = random.nextInt(6);
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(at)
                .key("ip:" + random.nextInt(8))
                .ruleName(List.of("", "login", "api", "export", "search").get(random.nextInt(5)))
                .path("/p" + random.nextInt(12))
                .method("GET")
                .allowed(outcome > 1)
                .shadow(outcome == 2)
                .count(1)
                .limit(10);
        if (random.nextInt(5) > 0) {
            event.userAgent("agent/" + random.nextInt(9));
        }
        if (outcome > 1 && random.nextInt(3) > 0) {
            event.upstreamStatus(100 + random.nextInt(500))
                    .upstreamLatency(Duration.ofNanos(((long) Math.pow(10, 1 + random.nextDouble() * 7)) * 1000));
        }
        return event.build();
    }

    private static RateLimitEvent upstream(Duration age, int status, Duration latency) {
        return RateLimitEvent.builder()
                .timestamp(NOW.minus(age))
                .key("ip:192.0.2.9")
                .path("/api")
                .method("GET")
                .allowed(true)
                .count(1)
                .limit(10)
                .upstreamStatus(status)
                .upstreamLatency(latency)
                .build();
    }

    private static RateLimitEvent allowed(String key, Duration age, String path, String userAgent) {
        return event(key, age, path, userAgent).allowed(true).build();
    }

    private static RateLimitEvent blocked(String key, Duration age, String path, String userAgent) {
        return event(key, age, path, userAgent).allowed(false).build();
    }

    private static RateLimitEvent shadowBlocked(String key, Duration age, String path, String userAgent) {
        return event(key, age, path, userAgent).allowed(true).shadow(true).build();
    }

    private static RateLimitEvent.Builder event(String key, Duration age, String path, String userAgent) {
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(NOW.minus(age))
                .key(key)
                .path(path)
                .method("GET")
                .count(1)
                .limit(10);
        if (userAgent != null) {
            event.userAgent(userAgent);
        }
        return event;
    }

    private static RateLimitEvent rule(RateLimitEvent event, String rule) {
        return event.toBuilder().ruleName(rule).build();
    }

    private void append(RateLimitEvent... events) {
        append(List.of(events));
    }

    private void append(List<RateLimitEvent> events) {
        await(store.append(events));
    }

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration minutes(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    private static void assertWithin(Duration actual, Duration exact) {
        double error = Math.abs(actual.toNanos() - exact.toNanos()) / (double) exact.toNanos();
        assertThat(error).as(actual + " vs " + exact).isLessThanOrEqualTo(0.032);
    }

    private static void assertRejected(Future<?> future, String argument) {
        assertThatThrownBy(() -> await(future))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .cause()
                .hasMessageContaining(argument);
    }

    private static void assertFailsWithStoreException(Future<?> future) {
        assertThatThrownBy(() -> await(future)).hasCauseInstanceOf(EventStoreException.class);
    }
}
