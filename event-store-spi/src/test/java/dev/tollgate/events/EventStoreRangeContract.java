package dev.tollgate.events;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reports over the dashboard's {@link TimeRange ranges}, as every {@link EventStore} owes them: part of
 * {@link EventStoreContract}, which runs these tests on the store under test and its clock.
 *
 * <p>Each test moves the clock on by {@link #APART} before it looks at a range, so that the events of the ranges
 * looked at before it are out of the window, and the clock stays on no second, minute or hour boundary.
 */
public interface EventStoreRangeContract {

    /** How far the clock moves on between two ranges of a test: longer than the longest named range. */
    Duration APART = Duration.ofDays(40);

    /** The store under test, empty when the test starts. */
    EventStore storeUnderTest();

    /** The clock of {@link #storeUnderTest()}. */
    MutableClock clockUnderTest();

    @Test
    default void aRangeHoldsTheEventOnItsFirstMillisecondAndLateOnesButNotTheOneBefore() {
        EventStore store = storeUnderTest();
        MutableClock clock = clockUnderTest();
        for (TimeRange range : TimeRange.NAMED) {
            clock.advance(APART);
            Instant start = clock.instant().minus(range.length());
            Instant late = clock.instant().plusSeconds(20);
            append(
                    store,
                    event("first", start, Outcome.BLOCKED, "edge"),
                    event("first", start, Outcome.SHADOW_BLOCKED, "edge"),
                    event("first", start, Outcome.ALLOWED, "edge"),
                    event("before", start.minusMillis(1), Outcome.BLOCKED, "early"),
                    event("before", start.minusMillis(1), Outcome.SHADOW_BLOCKED, "early"),
                    event("late", late, Outcome.BLOCKED, "edge"));

            assertThat(await(store.trafficSummary(range))).as("%s", range).isEqualTo(TrafficSummary.of(range, 1, 2, 1));
            assertThat(await(store.topOffenders(range, 10)))
                    .as("%s", range)
                    .containsExactly(new Offender("first", 1), new Offender("late", 1));
            assertThat(await(store.topShadowOffenders(range, 10)))
                    .as("%s", range)
                    .containsExactly(new Offender("first", 1));
            assertThat(await(store.ruleHitCounts(range, 10)))
                    .as("%s", range)
                    .containsExactly(new RuleHits("edge", 4, 2, 1));
            OffenderDetail first = await(store.offenderDetail("first", range, 10));
            assertThat(first.total()).as("%s", range).isEqualTo(3);
            assertThat(first.firstSeen()).contains(start);
            assertThat(first.range()).contains(range);
            assertThat(await(store.offenderDetail("before", range, 10)))
                    .as("%s", range)
                    .isEqualTo(OffenderDetail.empty("before", 0).in(range));
            TimeSeries series = await(store.timeSeries(range));
            assertThat(series.summary()).as("%s", range).isEqualTo(TrafficSummary.of(range, 1, 2, 1));
            assertThat(series.buckets().get(0).total()).as("%s", range).isEqualTo(3);
            assertThat(series.buckets().get(range.buckets() - 1).blocked())
                    .as("%s: the late event in the newest bucket", range)
                    .isEqualTo(1);
        }
    }

    @Test
    default void theChartOfEveryRangeHasItsBucketsAndAddsUpToItsSummary() {
        EventStore store = storeUnderTest();
        MutableClock clock = clockUnderTest();
        clock.advance(APART);
        append(store, randomEvents(new Random(17), clock.instant(), 3000, Duration.ofDays(32)));
        for (TimeRange range : TimeRange.NAMED) {
            TimeSeries series = await(store.timeSeries(range));
            assertThat(series.range()).contains(range);
            assertThat(series.bucketWidth()).isEqualTo(range.bucket());
            assertThat(series.buckets().stream().map(b -> b.withCounts(0, 0, 0)).toList())
                    .as("layout of %s", range)
                    .isEqualTo(TimeSeries.layout(clock.instant(), range));
            assertThat(series.buckets()).hasSize(range.buckets());
            assertThat(series.buckets())
                    .allSatisfy(bucket -> assertThat(Duration.between(bucket.start(), bucket.end()))
                            .isEqualTo(range.bucket()));
            TrafficSummary summary = await(store.trafficSummary(range));
            assertThat(summary.total()).as("%s", range).isPositive();
            assertThat(series.summary()).as("%s", range).isEqualTo(summary);
        }
    }

    @Test
    default void anEventOnABucketBoundaryOfTenSecondsOrAMinuteBelongsToTheLaterBucket() {
        EventStore store = storeUnderTest();
        Instant now = clockUnderTest().instant();
        append(
                store,
                event("on", now.minusSeconds(10), Outcome.BLOCKED, "r"),
                event("before", now.minusSeconds(10).minusMillis(1), Outcome.ALLOWED, "r"),
                event("on", now.minusSeconds(60), Outcome.SHADOW_BLOCKED, "r"),
                event("before", now.minusSeconds(60).minusMillis(1), Outcome.ALLOWED, "r"));

        List<TimeSeries.Bucket> quarter =
                await(store.timeSeries(TimeRange.MINUTES_15)).buckets();
        assertThat(quarter.get(89).start()).isEqualTo(now.minusSeconds(10));
        assertThat(counts(quarter.get(89))).containsExactly(0L, 1L, 0L);
        assertThat(counts(quarter.get(88))).containsExactly(1L, 0L, 0L);
        assertThat(counts(quarter.get(84))).containsExactly(0L, 0L, 1L);
        assertThat(counts(quarter.get(83))).containsExactly(1L, 0L, 0L);

        List<TimeSeries.Bucket> hour = await(store.timeSeries(TimeRange.HOUR)).buckets();
        assertThat(hour.get(59).start()).isEqualTo(now.minusSeconds(60));
        assertThat(counts(hour.get(59))).containsExactly(1L, 1L, 1L);
        assertThat(counts(hour.get(58))).containsExactly(1L, 0L, 0L);
    }

    @Test
    default void offendersAndRuleHitsOfAShortRangeAreThoseOfItsMinutesNotOfTheDay() {
        EventStore store = storeUnderTest();
        Instant now = clockUnderTest().instant();
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(event("morning", now.minus(Duration.ofHours(3)).plusSeconds(i), Outcome.BLOCKED, "login"));
            events.add(event("morning", now.minus(Duration.ofHours(3)), Outcome.SHADOW_BLOCKED, "login"));
        }
        events.add(event("now", now.minus(Duration.ofMinutes(5)), Outcome.BLOCKED, "api"));
        events.add(event("now", now.minus(Duration.ofMinutes(5)), Outcome.SHADOW_BLOCKED, "api"));
        events.add(event("hour", now.minus(Duration.ofMinutes(40)), Outcome.BLOCKED, "api"));
        append(store, events);

        assertThat(await(store.topOffenders(TimeRange.MINUTES_15, 10))).containsExactly(new Offender("now", 1));
        assertThat(await(store.topOffenders(TimeRange.HOUR, 10)))
                .containsExactly(new Offender("hour", 1), new Offender("now", 1));
        assertThat(await(store.topOffenders(1, 10)))
                .containsExactly(new Offender("morning", 3), new Offender("hour", 1), new Offender("now", 1));
        assertThat(await(store.topShadowOffenders(TimeRange.MINUTES_15, 10))).containsExactly(new Offender("now", 1));
        assertThat(await(store.topShadowOffenders(TimeRange.HOURS_6, 10)))
                .containsExactly(new Offender("morning", 3), new Offender("now", 1));
        assertThat(await(store.ruleHitCounts(TimeRange.MINUTES_15, 10))).containsExactly(new RuleHits("api", 2, 1, 1));
        assertThat(await(store.ruleHitCounts(1, 10)))
                .containsExactly(new RuleHits("login", 6, 3, 3), new RuleHits("api", 3, 2, 1));
        assertThat(await(store.offenderDetail("morning", TimeRange.HOUR, 5)).total())
                .isZero();
        assertThat(await(store.offenderDetail("morning", TimeRange.HOURS_6, 5)).total())
                .isEqualTo(6);
    }

    @Test
    default void aRangeOfWholeDaysAnswersWhatItsDaysAnswerAndTheDaysJsonStaysAsItWas() {
        EventStore store = storeUnderTest();
        MutableClock clock = clockUnderTest();
        append(store, randomEvents(new Random(19), clock.instant(), 2000, Duration.ofDays(35)));
        for (TimeRange range : List.of(TimeRange.HOURS_24, TimeRange.DAYS_7, TimeRange.DAYS_30)) {
            int days = range.wholeDays().orElseThrow();
            TrafficSummary byDays = await(store.trafficSummary(days));
            assertThat(byDays.range()).isEmpty();
            assertThat(await(store.trafficSummary(range))).isEqualTo(byDays.in(range));
            assertThat(await(store.topOffenders(range, 7))).isEqualTo(await(store.topOffenders(days, 7)));
            assertThat(await(store.topShadowOffenders(range, 7))).isEqualTo(await(store.topShadowOffenders(days, 7)));
            assertThat(await(store.ruleHitCounts(range, 7))).isEqualTo(await(store.ruleHitCounts(days, 7)));
            assertThat(await(store.offenderDetail("ip:3", range, 4)))
                    .isEqualTo(await(store.offenderDetail("ip:3", days, 4)).in(range));
            assertThat(await(store.timeSeries(range)).buckets())
                    .isEqualTo(await(store.timeSeries(days, range.buckets())).buckets());

            JsonObject dayJson = byDays.toJson();
            assertThat(dayJson.fieldNames())
                    .containsExactly("days", "total", "allowed", "blocked", "shadow_blocked", "block_rate");
            JsonObject rangeJson = await(store.trafficSummary(range)).toJson();
            assertThat(rangeJson.fieldNames())
                    .containsExactly(
                            "range", "range_ms", "total", "allowed", "blocked", "shadow_blocked", "block_rate");
            assertThat(rangeJson.getString("range")).isEqualTo(range.name());
            assertThat(rangeJson.getLong("range_ms")).isEqualTo(range.length().toMillis());
        }
        JsonObject series = await(store.timeSeries(TimeRange.MINUTES_15)).toJson();
        assertThat(series.fieldNames()).containsExactly("range", "range_ms", "bucket_width_ms", "buckets");
        assertThat(series.getLong("bucket_width_ms")).isEqualTo(10_000L);
        JsonObject detail =
                await(store.offenderDetail("ip:3", TimeRange.HOUR, 4)).toJson();
        assertThat(detail.getString("range")).isEqualTo("1h");
        assertThat(detail.containsKey("days")).isFalse();
    }

    @Test
    default void everyRangeAgreesWithAFullCountWhileTheClockMovesAndEventsArriveLateOrAreDeleted() {
        EventStore store = storeUnderTest();
        MutableClock clock = clockUnderTest();
        ScanningEventStore reference = new ScanningEventStore(clock);
        Random random = new Random(23);
        appendToBoth(store, reference, randomEvents(random, clock.instant(), 3000, Duration.ofDays(9)));
        List<Duration> steps = List.of(
                Duration.ofMillis(1),
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                Duration.ofSeconds(59),
                Duration.ofMinutes(7),
                Duration.ofMinutes(61),
                Duration.ofHours(5),
                Duration.ofDays(1).plusSeconds(1));
        for (int step = 0; step < 24; step++) {
            clock.advance(steps.get(random.nextInt(step % 6 == 5 ? steps.size() : 5)));
            Instant now = clock.instant();
            Duration lateness = switch (step % 4) {
                case 0 -> Duration.ofSeconds(30);
                case 1 -> Duration.ofMinutes(90);
                case 2 -> Duration.ofDays(3);
                default -> Duration.ofSeconds(-20);
            };
            appendToBoth(store, reference, randomEvents(random, now, 60, Duration.ofMinutes(20)));
            appendToBoth(store, reference, randomEvents(random, now.minus(lateness), 5, Duration.ofSeconds(5)));
            if (step % 12 == 11) {
                assertThat(await(store.deleteOlderThan(2, 97))).isEqualTo(await(reference.deleteOlderThan(2, 97)));
            }
            for (TimeRange range : TimeRange.NAMED) {
                String as = "step " + step + ", now=" + now + ", range=" + range;
                assertThat(await(store.trafficSummary(range))).as(as).isEqualTo(await(reference.trafficSummary(range)));
                assertThat(await(store.topOffenders(range, 5)))
                        .as(as)
                        .isEqualTo(await(reference.topOffenders(range, 5)));
                assertThat(await(store.topShadowOffenders(range, 100)))
                        .as(as)
                        .isEqualTo(await(reference.topShadowOffenders(range, 100)));
                assertThat(await(store.ruleHitCounts(range, 2)))
                        .as(as)
                        .isEqualTo(await(reference.ruleHitCounts(range, 2)));
                assertThat(await(store.timeSeries(range))).as(as).isEqualTo(await(reference.timeSeries(range)));
                assertThat(await(store.offenderDetail("ip:7", range, 3)))
                        .as(as)
                        .isEqualTo(await(reference.offenderDetail("ip:7", range, 3)));
            }
        }
    }

    @Test
    default void rejectsAMissingRangeNamingIt() {
        EventStore store = storeUnderTest();
        assertRejected(store.trafficSummary((TimeRange) null));
        assertRejected(store.topOffenders((TimeRange) null, 10));
        assertRejected(store.topShadowOffenders((TimeRange) null, 10));
        assertRejected(store.ruleHitCounts((TimeRange) null, 10));
        assertRejected(store.offenderDetail("k", (TimeRange) null, 10));
        assertRejected(store.timeSeries((TimeRange) null));
        assertThatThrownBy(() -> await(store.topOffenders(TimeRange.HOUR, 0)))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(store.offenderDetail("k", TimeRange.HOUR, -1)))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(store.offenderDetail(null, TimeRange.HOUR, 1)))
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    /** How an event of {@link #event} was decided. */
    enum Outcome {
        ALLOWED,
        BLOCKED,
        SHADOW_BLOCKED
    }

    private static RateLimitEvent event(String key, Instant at, Outcome outcome, String rule) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .ruleName(rule)
                .path("/")
                .method("GET")
                .allowed(outcome != Outcome.BLOCKED)
                .shadow(outcome == Outcome.SHADOW_BLOCKED)
                .count(1)
                .limit(10)
                .build();
    }

    /**
     * {@code count} events at random over {@code span} before {@code end}, over 12 keys and 3 rules (some events
     * naming none), a third blocked, a sixth shadow-blocked, some on whole seconds.
     */
    private static List<RateLimitEvent> randomEvents(Random random, Instant end, int count, Duration span) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = end.minusMillis((long) (random.nextDouble() * span.toMillis()));
            if (i % 5 == 0) {
                at = Instant.ofEpochSecond(at.getEpochSecond());
            }
            int outcome = random.nextInt(6);
            events.add(event(
                            "ip:" + random.nextInt(12),
                            at,
                            outcome < 2 ? Outcome.BLOCKED : outcome == 2 ? Outcome.SHADOW_BLOCKED : Outcome.ALLOWED,
                            i % 7 == 0 ? "" : "rule-" + random.nextInt(3))
                    .toBuilder()
                    .path("/p" + random.nextInt(3))
                    .build());
        }
        return events;
    }

    private static long[] counts(TimeSeries.Bucket bucket) {
        return new long[] {bucket.allowed(), bucket.blocked(), bucket.shadowBlocked()};
    }

    private static void append(EventStore store, RateLimitEvent... events) {
        append(store, List.of(events));
    }

    private static void append(EventStore store, List<RateLimitEvent> events) {
        await(store.append(events));
    }

    private static void appendToBoth(EventStore store, EventStore reference, List<RateLimitEvent> events) {
        append(store, events);
        append(reference, events);
    }

    private static void assertRejected(Future<?> future) {
        assertThatThrownBy(() -> await(future))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .cause()
                .hasMessageContaining("range");
    }
}
