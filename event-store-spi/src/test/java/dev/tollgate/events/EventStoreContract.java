package dev.tollgate.events;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link EventStore} owes, with the exact numbers of the design, and what its
 * {@link EventStoreProvider} owes as a provider. A store's test extends this class, says how to {@link #open}
 * an empty store on a given clock and gives its {@link #provider()}; each test gets a store of its own,
 * handed back to {@link #dispose} afterwards. One {@link Vertx} serves the whole class.
 *
 * <p>Time is the injected {@link MutableClock}, standing at {@link #NOW}: a moment that is on no minute
 * or hour boundary, so stores that pre-aggregate by time must combine whole buckets with exact partial
 * ones to pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EventStoreContract implements EventStoreRangeContract {

    /** Where the clock stands when each test starts. */
    protected static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    /** The key {@link #withUnknownSetting()} adds to a store's section: no store knows it. */
    protected static final String UNKNOWN_SETTING = "noSuchSetting";

    private static final Duration DAY = Duration.ofDays(1);

    protected Vertx vertx;
    protected MutableClock clock;
    protected EventStore store;

    /** An empty store of the kind under test, reading time from {@code clock}. */
    protected abstract Future<EventStore> open(Vertx vertx, Clock clock);

    /** Gives back a store after its test (by default, closes it). The store may already be closed. */
    protected Future<Void> dispose(EventStore store) {
        return store.close();
    }

    /** The provider of the store under test, for the checks of the provider convention. */
    protected abstract EventStoreProvider provider();

    /**
     * A section the {@link #provider()} must refuse because it holds {@link #UNKNOWN_SETTING}. By default the
     * section holds that key alone and is at {@code contract.stores.NAME}, not at Tollgate's own
     * {@code events.NAME}, so that a store that names its keys by a prefix of its own is caught. A store whose
     * section needs other settings before it looks at unknown keys overrides this to add them.
     */
    protected Settings withUnknownSetting() {
        return Settings.of("contract.stores." + provider().name(), new JsonObject().put(UNKNOWN_SETTING, true));
    }

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
    void disposeStore() {
        await(dispose(store));
    }

    @Override
    public EventStore storeUnderTest() {
        return store;
    }

    @Override
    public MutableClock clockUnderTest() {
        return clock;
    }

    // ---- traffic summary -------------------------------------------------------------------------

    @Test
    void twoAllowedAndThreeBlockedGiveABlockRateOfPointSix() {
        append(
                allowed("a", minutes(1)),
                allowed("b", minutes(2)),
                blocked("a", minutes(3)),
                blocked("c", minutes(4)),
                blocked("c", minutes(5)));

        TrafficSummary summary = await(store.trafficSummary(7));

        assertThat(summary).isEqualTo(new TrafficSummary(7, 5, 2, 3, 0, 0.6));
        assertThat(summary.toJson().encode())
                .isEqualTo(
                        "{\"days\":7,\"total\":5,\"allowed\":2,\"blocked\":3,\"shadow_blocked\":0,\"block_rate\":0.6}");
    }

    @Test
    void fourShadowBlockedBesideTwoAllowedAndThreeBlockedAreCountedApartAndNeverAsBlocked() {
        append(
                allowed("a", minutes(1)),
                allowed("b", minutes(2)),
                blocked("a", minutes(3)),
                blocked("c", minutes(4)),
                blocked("c", minutes(5)),
                shadowBlocked("a", minutes(6)),
                shadowBlocked("d", minutes(7)),
                shadowBlocked("d", minutes(8)),
                shadowBlocked("e", minutes(9)));

        TrafficSummary summary = await(store.trafficSummary(7));

        assertThat(summary).isEqualTo(new TrafficSummary(7, 9, 2, 3, 4, 3.0 / 9));
        assertThat(summary.served()).isEqualTo(6);
        assertThat(summary.toJson().encode())
                .isEqualTo("{\"days\":7,\"total\":9,\"allowed\":2,\"blocked\":3,"
                        + "\"shadow_blocked\":4,\"block_rate\":0.3333333333333333}");
        assertThat(await(store.timeSeries(7, 7)).summary()).isEqualTo(summary);
    }

    @Test
    void aRefusedEventCountsAsBlockedWhateverItsShadowFlag() {
        append(
                event("k", minutes(1))
                        .allowed(false)
                        .shadow(true)
                        .ruleName("api")
                        .build(),
                allowed("k", minutes(2)));

        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1, 0));
        assertThat(await(store.topOffenders(1, 10))).containsExactly(new Offender("k", 1));
        assertThat(await(store.topShadowOffenders(1, 10))).isEmpty();
        assertThat(await(store.ruleHitCounts(1, 10))).containsExactly(new RuleHits("api", 1, 1, 0));
        OffenderDetail detail = await(store.offenderDetail("k", 1, 10));
        assertThat(detail)
                .extracting(OffenderDetail::allowed, OffenderDetail::blocked, OffenderDetail::shadowBlocked)
                .containsExactly(1L, 1L, 0L);
        assertThat(detail.byPath()).containsExactly(new OffenderDetail.PathCount("/", 1));
        assertThat(await(store.timeSeries(1, 1)).buckets().get(0))
                .extracting(TimeSeries.Bucket::allowed, TimeSeries.Bucket::blocked, TimeSeries.Bucket::shadowBlocked)
                .containsExactly(1L, 1L, 0L);
        assertThat(keysAndPaths(EventQuery.builder().outcome(EventQuery.Outcome.BLOCKED)))
                .containsExactly("k /");
        assertThat(keysAndPaths(EventQuery.builder().outcome(EventQuery.Outcome.SHADOW_BLOCKED)))
                .isEmpty();
    }

    @Test
    void oneBlockedInThreeIsAnUnroundedThird() {
        append(blocked("a", minutes(1)), allowed("a", minutes(2)), allowed("b", minutes(3)));

        TrafficSummary summary = await(store.trafficSummary(1));

        assertThat(summary.blockRate()).isEqualTo(0.3333333333333333);
        assertThat(summary.toJson().getDouble("block_rate")).isEqualTo(1.0 / 3);
        assertThat(summary.toJson().encode()).contains("\"block_rate\":0.3333333333333333");
    }

    @Test
    void anEmptyLogSummarisesToZeros() {
        TrafficSummary summary = await(store.trafficSummary(1));

        assertThat(summary).isEqualTo(new TrafficSummary(1, 0, 0, 0, 0, 0.0));
        assertThat(summary.toJson().encode())
                .isEqualTo(
                        "{\"days\":1,\"total\":0,\"allowed\":0,\"blocked\":0,\"shadow_blocked\":0,\"block_rate\":0.0}");
    }

    // ---- top offenders ---------------------------------------------------------------------------

    @Test
    void topOffendersCountBlockedEventsPerKeyDescending() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(blocked("bad", minutes(10 + i)));
        }
        events.add(allowed("bad", minutes(20)));
        events.add(blocked("meh", minutes(30)));
        events.add(blocked("meh", hours(30)));
        for (int i = 0; i < 4; i++) {
            events.add(allowed("good", minutes(40 + i)));
        }
        append(events);

        List<Offender> offenders = await(store.topOffenders(7, 10));

        assertThat(offenders).containsExactly(new Offender("bad", 5), new Offender("meh", 2));
        assertThat(toJson(offenders, Offender::toJson).encode())
                .isEqualTo("[{\"key\":\"bad\",\"blocked_count\":5},{\"key\":\"meh\",\"blocked_count\":2}]");
    }

    @Test
    void topOffendersBreakTiesByKeyAscending() {
        append(
                blocked("zed", minutes(1)),
                blocked("abe", minutes(2)),
                blocked("mid", minutes(3)),
                blocked("top", minutes(4)),
                blocked("top", minutes(5)));

        assertThat(await(store.topOffenders(1, 10)))
                .containsExactly(
                        new Offender("top", 2), new Offender("abe", 1), new Offender("mid", 1), new Offender("zed", 1));
    }

    @Test
    void topOffendersStopAtTheLimit() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int key = 1; key <= 5; key++) {
            for (int i = 0; i < key; i++) {
                events.add(blocked("key-" + key, minutes(key * 10 + i)));
            }
        }
        append(events);

        assertThat(await(store.topOffenders(1, 2))).containsExactly(new Offender("key-5", 5), new Offender("key-4", 4));
        assertThat(await(store.topOffenders(1, 1))).containsExactly(new Offender("key-5", 5));
    }

    @Test
    void keysThatWereNeverBlockedAreNoOffenders() {
        append(allowed("good", minutes(1)), allowed("fine", minutes(2)));

        assertThat(await(store.topOffenders(7, 10))).isEmpty();
        assertThat(await(store.topShadowOffenders(7, 10))).isEmpty();
    }

    @Test
    void aKeyWhoseEveryRequestWasServedIsNoOffenderButTopsTheShadowRanking() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(shadowBlocked("trial", minutes(10 + i)));
        }
        events.add(allowed("trial", minutes(20)));
        events.add(blocked("both", minutes(21)));
        events.add(blocked("both", minutes(22)));
        for (int i = 0; i < 3; i++) {
            events.add(shadowBlocked("both", hours(3 + i)));
        }
        events.add(blocked("enforced", minutes(23)));
        append(events);

        List<Offender> enforced = await(store.topOffenders(7, 10));
        List<Offender> shadow = await(store.topShadowOffenders(7, 10));

        assertThat(enforced).containsExactly(new Offender("both", 2), new Offender("enforced", 1));
        assertThat(shadow).containsExactly(new Offender("trial", 5), new Offender("both", 3));
        assertThat(toJson(shadow, Offender::toShadowJson).encode())
                .isEqualTo(
                        "[{\"key\":\"trial\",\"shadow_blocked_count\":5},{\"key\":\"both\",\"shadow_blocked_count\":3}]");
    }

    @Test
    void theShadowRankingBreaksTiesByKeyAndStopsAtTheLimit() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (String key : List.of("zed", "abe", "mid")) {
            events.add(shadowBlocked(key, minutes(1)));
        }
        for (int i = 0; i < 2; i++) {
            events.add(shadowBlocked("top", minutes(2 + i)));
        }
        append(events);

        assertThat(await(store.topShadowOffenders(1, 10)))
                .containsExactly(
                        new Offender("top", 2), new Offender("abe", 1), new Offender("mid", 1), new Offender("zed", 1));
        assertThat(await(store.topShadowOffenders(1, 2)))
                .containsExactly(new Offender("top", 2), new Offender("abe", 1));
        assertThat(await(store.topOffenders(1, 10))).isEmpty();
    }

    @Test
    void theRankingStaysExactWhileItsWindowSlidesAndEventsArriveLateOrAreDeleted() {
        ScanningEventStore reference = new ScanningEventStore(clock);
        Random random = new Random(11);
        appendToBoth(reference, eventsBefore(random, clock.instant(), 3000, Duration.ofDays(9)));
        List<Duration> steps = List.of(
                Duration.ofMillis(1),
                Duration.ofSeconds(7),
                Duration.ofSeconds(59),
                Duration.ofMinutes(3),
                Duration.ofMinutes(17),
                Duration.ofMinutes(61),
                Duration.ofHours(5),
                Duration.ofDays(1).plusSeconds(1));
        for (int step = 0; step < 48; step++) {
            clock.advance(steps.get(random.nextInt(step % 6 == 5 ? steps.size() : 4)));
            Instant now = clock.instant();
            // now and then late: into the hour that has just ended, an hour and a half or days back; or ahead
            Duration lateness = switch (step % 4) {
                case 0 -> Duration.ofMinutes(1);
                case 1 -> Duration.ofMinutes(90);
                case 2 -> Duration.ofDays(3);
                default -> Duration.ofSeconds(-20);
            };
            appendToBoth(reference, eventsBefore(random, now, 40, Duration.ofSeconds(30)));
            appendToBoth(reference, eventsBefore(random, now.minus(lateness), 5, Duration.ofSeconds(5)));
            if (step % 12 == 11) {
                assertThat(await(store.deleteOlderThan(2, 97))).isEqualTo(await(reference.deleteOlderThan(2, 97)));
            }
            for (int days : new int[] {1, 2, 7}) {
                for (int limit : new int[] {3, 100}) {
                    assertThat(await(store.topOffenders(days, limit)))
                            .as("step %d, now=%s, days=%d, limit=%d", step, now, days, limit)
                            .isEqualTo(await(reference.topOffenders(days, limit)));
                    assertThat(await(store.topShadowOffenders(days, limit)))
                            .as("shadow, step %d, now=%s, days=%d, limit=%d", step, now, days, limit)
                            .isEqualTo(await(reference.topShadowOffenders(days, limit)));
                }
            }
        }
    }

    @Test
    void rankingsAskedForAtOnceAgreeWithAFullCount() {
        ScanningEventStore reference = new ScanningEventStore(clock);
        appendToBoth(reference, eventsBefore(new Random(13), NOW, 2000, Duration.ofDays(3)));
        for (int round = 0; round < 6; round++) {
            clock.advance(Duration.ofMinutes(23));
            List<Future<List<Offender>>> calls = new ArrayList<>();
            List<Future<List<Offender>>> shadowCalls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(store.topOffenders(2, 10));
                shadowCalls.add(store.topShadowOffenders(2, 10));
            }
            await(Future.all(calls));
            await(Future.all(shadowCalls));
            List<Offender> expected = await(reference.topOffenders(2, 10));
            List<Offender> expectedShadow = await(reference.topShadowOffenders(2, 10));
            for (Future<List<Offender>> call : calls) {
                assertThat(call.result()).as("round %d", round).isEqualTo(expected);
            }
            for (Future<List<Offender>> call : shadowCalls) {
                assertThat(call.result()).as("shadow, round %d", round).isEqualTo(expectedShadow);
            }
        }
    }

    // ---- rule hits -------------------------------------------------------------------------------

    @Test
    void ruleHitsCountEveryEventOfTheRuleAndItsBlockedOnes() {
        append(
                rule(allowed("a", minutes(1)), "api"),
                rule(blocked("b", minutes(2)), "api"),
                allowed("c", minutes(3)),
                blocked("d", minutes(4)));

        List<RuleHits> hits = await(store.ruleHitCounts(7, 10));

        assertThat(hits).containsExactly(new RuleHits("api", 2, 1, 0));
        assertThat(toJson(hits, RuleHits::toJson).encode())
                .isEqualTo("[{\"rule_name\":\"api\",\"hits\":2,\"blocked\":1,\"shadow_blocked\":0}]");
    }

    @Test
    void ruleHitsCountTheShadowBlockedEventsOfAShadowRuleApartFromTheBlocked() {
        append(
                rule(allowed("a", minutes(1)), "trial"),
                rule(shadowBlocked("a", minutes(2)), "trial"),
                rule(shadowBlocked("b", minutes(3)), "trial"),
                rule(blocked("b", minutes(4)), "api"),
                rule(allowed("c", minutes(5)), "api"),
                shadowBlocked("d", minutes(6)));

        List<RuleHits> hits = await(store.ruleHitCounts(7, 10));

        assertThat(hits).containsExactly(new RuleHits("trial", 3, 0, 2), new RuleHits("api", 2, 1, 0));
        assertThat(toJson(hits, RuleHits::toJson).encode())
                .isEqualTo("[{\"rule_name\":\"trial\",\"hits\":3,\"blocked\":0,\"shadow_blocked\":2},"
                        + "{\"rule_name\":\"api\",\"hits\":2,\"blocked\":1,\"shadow_blocked\":0}]");
    }

    @Test
    void ruleHitsAreOrderedByHitsThenNameAndStopAtTheLimit() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(rule(allowed("k", minutes(i + 1)), "api"));
        }
        for (String rule : List.of("login", "beta", "alpha")) {
            for (int i = 0; i < 3; i++) {
                events.add(rule(blocked("k", minutes(10 + i)), rule));
            }
        }
        events.add(rule(allowed("k", minutes(20)), "zzz"));
        append(events);

        assertThat(await(store.ruleHitCounts(1, 3)))
                .containsExactly(new RuleHits("api", 5, 0), new RuleHits("alpha", 3, 3), new RuleHits("beta", 3, 3));
        assertThat(await(store.ruleHitCounts(1, 10))).hasSize(5).last().isEqualTo(new RuleHits("zzz", 1, 0));
    }

    // ---- windows ---------------------------------------------------------------------------------

    @Test
    void anEventOneDayMinusTwoSecondsOldIsInTheOneDayWindow() {
        append(rule(blocked("bad", DAY.minusSeconds(2)), "api"));

        assertInEveryAnswer(1, "bad", "api");
    }

    @Test
    void anEventOneDayPlusTwoSecondsOldIsNotInTheOneDayWindow() {
        append(rule(blocked("bad", DAY.plusSeconds(2)), "api"));

        assertInNoAnswer(1, "bad");
        assertInEveryAnswer(2, "bad", "api");
    }

    @Test
    void theWindowIncludesItsFirstMillisecond() {
        append(rule(blocked("bad", DAY), "api"));

        assertInEveryAnswer(1, "bad", "api");
    }

    @Test
    void theWindowExcludesTheMillisecondBeforeIt() {
        append(rule(blocked("bad", DAY.plusMillis(1)), "api"));

        assertInNoAnswer(1, "bad");
    }

    @Test
    void fortyDayOldEventsFallOutsideASevenDayWindow() {
        append(rule(blocked("old", Duration.ofDays(40)), "api"), allowed("new", hours(1)));

        assertThat(await(store.trafficSummary(7))).isEqualTo(TrafficSummary.of(7, 1, 0));
        assertInNoAnswer(7, "old");
        assertThat(await(store.trafficSummary(41))).isEqualTo(TrafficSummary.of(41, 1, 1));
        assertThat(await(store.topOffenders(41, 10))).containsExactly(new Offender("old", 1));
        assertThat(await(store.ruleHitCounts(41, 10))).containsExactly(new RuleHits("api", 1, 1));
    }

    @Test
    void theWindowIncludesItsFirstMillisecondAndNotTheOneBeforeForShadowBlockedEventsToo() {
        append(rule(shadowBlocked("edge", DAY), "trial"), rule(shadowBlocked("gone", DAY.plusMillis(1)), "trial"));

        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 0, 0, 1));
        assertThat(await(store.topShadowOffenders(1, 10))).containsExactly(new Offender("edge", 1));
        assertThat(await(store.topOffenders(1, 10))).isEmpty();
        assertThat(await(store.ruleHitCounts(1, 10))).containsExactly(new RuleHits("trial", 1, 0, 1));
        assertThat(await(store.offenderDetail("edge", 1, 10)).shadowBlocked()).isEqualTo(1);
        assertThat(await(store.offenderDetail("gone", 1, 10))).isEqualTo(OffenderDetail.empty("gone", 1));
        assertThat(await(store.timeSeries(1, 24)).summary()).isEqualTo(TrafficSummary.of(1, 0, 0, 1));

        clock.advance(Duration.ofMillis(1));
        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 0, 0, 0));
        assertThat(await(store.topShadowOffenders(1, 10))).isEmpty();
        assertThat(await(store.ruleHitCounts(1, 10))).isEmpty();
        assertThat(await(store.topShadowOffenders(2, 10)))
                .containsExactly(new Offender("edge", 1), new Offender("gone", 1));
    }

    @Test
    void theWindowRollsWithTheClock() {
        append(rule(blocked("bad", hours(1)), "api"));

        clock.advance(hours(23));
        assertInEveryAnswer(1, "bad", "api");

        clock.advance(Duration.ofMillis(1));
        assertInNoAnswer(1, "bad");
    }

    @Test
    void eventsStampedAfterNowAreInTheWindow() {
        append(rule(blocked("ahead", Duration.ofSeconds(-5)), "api"));

        assertInEveryAnswer(1, "ahead", "api");
        TimeSeries series = await(store.timeSeries(1, 24));
        assertThat(series.buckets().get(23).blocked()).isEqualTo(1);
    }

    @Test
    void windowsCountExactlyOverManyMinutesHoursAndDays() {
        List<RateLimitEvent> events = spread(2000, Duration.ofDays(12));
        append(events);

        for (int days : List.of(1, 2, 3, 7, 11, 12, 13)) {
            long since = NOW.minus(Duration.ofDays(days)).toEpochMilli();
            List<RateLimitEvent> window = events.stream()
                    .filter(event -> event.timestamp().toEpochMilli() >= since)
                    .toList();
            TrafficSummary expected = expectedSummary(days, window);
            assertThat(expected.shadowBlocked()).as("days=%d", days).isPositive();
            assertThat(await(store.trafficSummary(days))).as("days=%d", days).isEqualTo(expected);
            assertThat(await(store.topOffenders(days, 3)))
                    .as("offenders, days=%d", days)
                    .isEqualTo(expectedOffenders(window, 3, RateLimitEvent::blocked));
            assertThat(await(store.topShadowOffenders(days, 3)))
                    .as("shadow offenders, days=%d", days)
                    .isEqualTo(expectedOffenders(window, 3, RateLimitEvent::shadowBlocked));
            assertThat(await(store.ruleHitCounts(days, 2)))
                    .as("rules, days=%d", days)
                    .isEqualTo(expectedRuleHits(window, 2));
            assertThat(await(store.timeSeries(days, 37)).summary())
                    .as("series, days=%d", days)
                    .isEqualTo(expected);
        }
    }

    // ---- offender detail -------------------------------------------------------------------------

    @Test
    void offenderDetailOfFiveBlockedAndThreeAllowedOnLogin() {
        List<RateLimitEvent> mine = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            mine.add(event("ip:203.0.113.5", minutes(8 - i))
                    .allowed(i % 8 >= 5)
                    .path("/login")
                    .method("POST")
                    .ruleName("login")
                    .count(10 + i)
                    .limit(10)
                    .build());
        }
        append(mine);
        append(blocked("ip:198.51.100.7", minutes(3)), allowed("ip:198.51.100.7", minutes(2)));

        OffenderDetail detail = await(store.offenderDetail("ip:203.0.113.5", 7, 50));

        assertThat(detail.total()).isEqualTo(8);
        assertThat(detail.allowed()).isEqualTo(3);
        assertThat(detail.blocked()).isEqualTo(5);
        assertThat(detail.blockRate()).isEqualTo(0.625);
        assertThat(detail.firstSeen()).contains(NOW.minus(minutes(8)));
        assertThat(detail.lastSeen()).contains(NOW.minus(minutes(1)));
        assertThat(detail.byPath()).containsExactly(new OffenderDetail.PathCount("/login", 5));
        List<OffenderDetail.RecentEvent> newestFirst = new ArrayList<>();
        for (int i = 7; i >= 0; i--) {
            newestFirst.add(OffenderDetail.RecentEvent.of(mine.get(i)));
        }
        assertThat(detail.recentEvents()).isEqualTo(newestFirst);
    }

    @Test
    void offenderDetailJsonHasTheReportShape() {
        append(event("ip:203.0.113.5", minutes(1))
                .allowed(false)
                .path("/login")
                .method("POST")
                .ruleName("login")
                .count(11)
                .limit(10)
                .build());

        JsonObject json = await(store.offenderDetail("ip:203.0.113.5", 7, 50)).toJson();

        assertThat(json.fieldNames())
                .containsExactly(
                        "key",
                        "days",
                        "total",
                        "allowed",
                        "blocked",
                        "shadow_blocked",
                        "block_rate",
                        "first_seen",
                        "last_seen",
                        "by_path",
                        "recent_events");
        assertThat(json.encode())
                .isEqualTo("{\"key\":\"ip:203.0.113.5\",\"days\":7,\"total\":1,\"allowed\":0,"
                        + "\"blocked\":1,\"shadow_blocked\":0,\"block_rate\":1.0,\"first_seen\":\"2026-03-15T12:33:56.789Z\","
                        + "\"last_seen\":\"2026-03-15T12:33:56.789Z\",\"by_path\":[{\"path\":\"/login\",\"count\":1}],"
                        + "\"recent_events\":[{\"timestamp\":\"2026-03-15T12:33:56.789Z\",\"path\":\"/login\","
                        + "\"method\":\"POST\",\"allowed\":false,\"shadow\":false,\"count\":11,\"limit\":10,"
                        + "\"rule_name\":\"login\"}]}");
    }

    @Test
    void offenderDetailCountsShadowBlockedEventsApartAndLeavesThemOutOfTheBlockedPaths() {
        append(
                path(rule(allowed("k", minutes(1)), "trial"), "/search"),
                path(rule(shadowBlocked("k", minutes(2)), "trial"), "/search"),
                path(rule(shadowBlocked("k", minutes(3)), "trial"), "/search"),
                path(rule(blocked("k", minutes(4)), "api"), "/orders"),
                path(rule(shadowBlocked("other", minutes(5)), "trial"), "/search"));

        OffenderDetail detail = await(store.offenderDetail("k", 1, 50));

        assertThat(detail.total()).isEqualTo(4);
        assertThat(detail)
                .extracting(OffenderDetail::allowed, OffenderDetail::blocked, OffenderDetail::shadowBlocked)
                .containsExactly(1L, 1L, 2L);
        assertThat(detail.blockRate()).isEqualTo(0.25);
        assertThat(detail.byPath()).containsExactly(new OffenderDetail.PathCount("/orders", 1));
        assertThat(detail.recentEvents())
                .extracting(OffenderDetail.RecentEvent::shadowBlocked)
                .containsExactly(false, true, true, false);
        JsonObject json = detail.toJson();
        assertThat(json.getLong("shadow_blocked")).isEqualTo(2);
        assertThat(json.getJsonArray("recent_events").getJsonObject(1).encode())
                .isEqualTo("{\"timestamp\":\"2026-03-15T12:32:56.789Z\",\"path\":\"/search\",\"method\":\"GET\","
                        + "\"allowed\":true,\"shadow\":true,\"count\":1,\"limit\":10,\"rule_name\":\"trial\"}");
    }

    @Test
    void byPathHoldsAtMostTwentyRowsByBlockedCountThenPath() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String path = String.format("/p%02d", i);
            int blocked = i == 24 ? 3 : i == 13 ? 2 : 1;
            for (int n = 0; n < blocked; n++) {
                events.add(path(blocked("k", minutes(i * 3 + n + 1)), path));
            }
        }
        events.add(path(allowed("k", minutes(100)), "/allowed-only"));
        append(events);

        OffenderDetail detail = await(store.offenderDetail("k", 1, 50));

        List<OffenderDetail.PathCount> expected = new ArrayList<>();
        expected.add(new OffenderDetail.PathCount("/p24", 3));
        expected.add(new OffenderDetail.PathCount("/p13", 2));
        for (int i = 0; expected.size() < 20; i++) {
            if (i != 13) {
                expected.add(new OffenderDetail.PathCount(String.format("/p%02d", i), 1));
            }
        }
        assertThat(detail.byPath()).isEqualTo(expected);
        assertThat(detail.blocked()).isEqualTo(28);
        assertThat(detail.allowed()).isEqualTo(1);
    }

    @Test
    void recentEventsStopAtTheAskedNumber() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            events.add(path(blocked("k", minutes(i)), "/" + i));
        }
        append(events);

        assertThat(await(store.offenderDetail("k", 1, 3)).recentEvents())
                .extracting(OffenderDetail.RecentEvent::path)
                .containsExactly("/1", "/2", "/3");
        assertThat(await(store.offenderDetail("k", 1, 0)).recentEvents()).isEmpty();
        assertThat(await(store.offenderDetail("k", 1)).recentEvents()).hasSize(10);
        assertThat(await(store.offenderDetail("k", 1, 0)).total()).isEqualTo(10);
    }

    @Test
    void anUnknownKeyHasZerosNoSightingsAndEmptyLists() {
        append(blocked("someone", minutes(1)));

        OffenderDetail detail = await(store.offenderDetail("nobody", 7, 50));

        assertThat(detail).isEqualTo(OffenderDetail.empty("nobody", 7));
        assertThat(detail.toJson().encode())
                .isEqualTo("{\"key\":\"nobody\",\"days\":7,\"total\":0,\"allowed\":0,"
                        + "\"blocked\":0,\"shadow_blocked\":0,\"block_rate\":0.0,\"first_seen\":null,\"last_seen\":null,\"by_path\":[],"
                        + "\"recent_events\":[]}");
    }

    @Test
    void offenderDetailCoversOnlyTheWindow() {
        append(
                path(blocked("k", Duration.ofDays(2)), "/recent"),
                path(blocked("k", Duration.ofDays(10)), "/old"),
                allowed("k", DAY.plusMillis(1)));

        OffenderDetail detail = await(store.offenderDetail("k", 7, 50));

        assertThat(detail.total()).isEqualTo(2);
        assertThat(detail.byPath()).containsExactly(new OffenderDetail.PathCount("/recent", 1));
        assertThat(detail.firstSeen()).contains(NOW.minus(Duration.ofDays(2)));
        assertThat(detail.lastSeen()).contains(NOW.minus(DAY.plusMillis(1)));
        assertThat(await(store.offenderDetail("k", 1, 50))).isEqualTo(OffenderDetail.empty("k", 1));
    }

    @Test
    void eventsOfEqualTimestampListNewestAppendedFirst() {
        append(
                path(blocked("k", minutes(1)), "/a"),
                path(blocked("k", minutes(1)), "/b"),
                path(blocked("k", minutes(1)), "/c"));
        append(path(blocked("k", minutes(1)), "/d"));

        assertThat(await(store.offenderDetail("k", 1, 50)).recentEvents())
                .extracting(OffenderDetail.RecentEvent::path)
                .containsExactly("/d", "/c", "/b", "/a");
        assertThat(await(store.events(EventQuery.all())).events())
                .extracting(RateLimitEvent::path)
                .containsExactly("/d", "/c", "/b", "/a");
    }

    // ---- time series -----------------------------------------------------------------------------

    @Test
    void timeSeriesBucketsAddUpToTheSummary() {
        append(spread(500, Duration.ofDays(9)));

        for (int[] shape : new int[][] {{1, 24}, {7, 7}, {7, 168}, {3, 7}, {8, 100}, {2, 1}}) {
            int days = shape[0];
            int buckets = shape[1];
            TimeSeries series = await(store.timeSeries(days, buckets));
            assertThat(series.days()).isEqualTo(days);
            assertThat(series.bucketWidth()).isEqualTo(TimeSeries.bucketWidth(days, buckets));
            assertThat(series.buckets()).hasSize(buckets);
            assertThat(series.buckets().stream().map(b -> b.withCounts(0, 0, 0)).toList())
                    .as("layout of %d days in %d buckets", days, buckets)
                    .isEqualTo(TimeSeries.layout(NOW, days, buckets));
            assertThat(series.summary())
                    .as("%d days in %d buckets", days, buckets)
                    .isEqualTo(await(store.trafficSummary(days)));
        }
    }

    @Test
    void anEventOnABucketBoundaryBelongsToTheLaterBucket() {
        append(blocked("on", hours(1)), allowed("before", hours(1).plusMillis(1)), allowed("first", DAY));

        List<TimeSeries.Bucket> buckets = await(store.timeSeries(1, 24)).buckets();

        assertThat(buckets.get(23).start()).isEqualTo(NOW.minus(hours(1)));
        assertThat(buckets.get(23))
                .extracting(TimeSeries.Bucket::allowed, TimeSeries.Bucket::blocked)
                .containsExactly(0L, 1L);
        assertThat(buckets.get(22))
                .extracting(TimeSeries.Bucket::allowed, TimeSeries.Bucket::blocked)
                .containsExactly(1L, 0L);
        assertThat(buckets.get(0))
                .extracting(TimeSeries.Bucket::allowed, TimeSeries.Bucket::blocked)
                .containsExactly(1L, 0L);
    }

    @Test
    void timeSeriesJsonHasTheReportShape() {
        append(
                blocked("k", minutes(90)),
                allowed("k", minutes(91)),
                shadowBlocked("k", minutes(92)),
                allowed("k", minutes(30)));

        JsonObject json = await(store.timeSeries(1, 24)).toJson();

        assertThat(json.fieldNames()).containsExactly("days", "bucket_width_ms", "buckets");
        assertThat(json.getLong("bucket_width_ms")).isEqualTo(3_600_000L);
        JsonArray buckets = json.getJsonArray("buckets");
        assertThat(buckets).hasSize(24);
        assertThat(buckets.getJsonObject(0).encode())
                .isEqualTo("{\"start\":\"2026-03-14T12:34:56.789Z\","
                        + "\"end\":\"2026-03-14T13:34:56.789Z\",\"allowed\":0,\"blocked\":0,\"shadow_blocked\":0}");
        assertThat(buckets.getJsonObject(22).encode())
                .isEqualTo("{\"start\":\"2026-03-15T10:34:56.789Z\","
                        + "\"end\":\"2026-03-15T11:34:56.789Z\",\"allowed\":1,\"blocked\":1,\"shadow_blocked\":1}");
        assertThat(buckets.getJsonObject(23).encode())
                .isEqualTo("{\"start\":\"2026-03-15T11:34:56.789Z\","
                        + "\"end\":\"2026-03-15T12:34:56.789Z\",\"allowed\":1,\"blocked\":0,\"shadow_blocked\":0}");
    }

    // ---- retention -------------------------------------------------------------------------------

    @Test
    void deletingOlderThanThirtyDaysRemovesFourOldEventsAndKeepsTwoNew() {
        append(
                blocked("old", Duration.ofDays(31)),
                allowed("old", Duration.ofDays(32)),
                blocked("old", Duration.ofDays(33)),
                allowed("old", Duration.ofDays(300)),
                blocked("new", DAY),
                allowed("new", Duration.ofDays(29)));

        assertThat(await(store.deleteOlderThan(30))).isEqualTo(4);

        assertThat(await(store.trafficSummary(365))).isEqualTo(TrafficSummary.of(365, 1, 1));
        assertThat(await(store.events(EventQuery.all())).events())
                .extracting(RateLimitEvent::key)
                .containsExactly("new", "new");
        assertThat(await(store.deleteOlderThan(30))).isZero();
    }

    @Test
    void deletingInBatchesOfTenRemovesAllTwentyFiveOldEvents() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(blocked("old-" + (i % 4), Duration.ofDays(31).plus(hours(i * 7L))));
        }
        events.add(allowed("new", hours(2)));
        append(events);

        assertThat(await(store.deleteOlderThan(30, 10))).isEqualTo(25);

        assertThat(await(store.trafficSummary(3650))).isEqualTo(TrafficSummary.of(3650, 1, 0));
    }

    @Test
    void deletingKeepsTheAnswersOverLongerWindowsRight() {
        append(
                rule(blocked("bad", Duration.ofDays(40)), "api"),
                rule(blocked("bad", Duration.ofDays(45)), "api"),
                rule(blocked("meh", Duration.ofDays(2)), "login"),
                rule(blocked("bad", Duration.ofDays(3)), "api"));

        assertThat(await(store.deleteOlderThan(30, 1))).isEqualTo(2);

        assertThat(await(store.topOffenders(365, 10))).containsExactly(new Offender("bad", 1), new Offender("meh", 1));
        assertThat(await(store.ruleHitCounts(365, 10)))
                .containsExactly(new RuleHits("api", 1, 1), new RuleHits("login", 1, 1));
        assertThat(await(store.timeSeries(365, 365)).summary()).isEqualTo(TrafficSummary.of(365, 0, 2));
        assertThat(await(store.offenderDetail("bad", 365, 10)).total()).isEqualTo(1);
    }

    @Test
    void deletingTakesShadowBlockedEventsOutOfEveryAnswer() {
        append(
                rule(shadowBlocked("trial", Duration.ofDays(40)), "search"),
                rule(shadowBlocked("trial", Duration.ofDays(41)), "search"),
                rule(shadowBlocked("trial", Duration.ofDays(2)), "search"),
                rule(blocked("bad", Duration.ofDays(45)), "api"));

        assertThat(await(store.topShadowOffenders(365, 10))).containsExactly(new Offender("trial", 3));
        assertThat(await(store.deleteOlderThan(30, 1))).isEqualTo(3);

        assertThat(await(store.trafficSummary(365))).isEqualTo(TrafficSummary.of(365, 0, 0, 1));
        assertThat(await(store.topShadowOffenders(365, 10))).containsExactly(new Offender("trial", 1));
        assertThat(await(store.topOffenders(365, 10))).isEmpty();
        assertThat(await(store.ruleHitCounts(365, 10))).containsExactly(new RuleHits("search", 1, 0, 1));
        assertThat(await(store.timeSeries(365, 365)).summary()).isEqualTo(TrafficSummary.of(365, 0, 0, 1));
        assertThat(await(store.offenderDetail("trial", 365, 10)).shadowBlocked())
                .isEqualTo(1);
    }

    @Test
    void anEventExactlyAtTheRetentionLimitIsKept() {
        append(
                blocked("edge", Duration.ofDays(30)),
                blocked("gone", Duration.ofDays(30).plusMillis(1)));

        assertThat(await(store.deleteOlderThan(30))).isEqualTo(1);

        assertThat(await(store.events(EventQuery.all())).events())
                .extracting(RateLimitEvent::key)
                .containsExactly("edge");
    }

    // ---- alert marks -----------------------------------------------------------------------------

    @Test
    void markedKeysAreFoundWithTheirMark() {
        await(store.recordAlerted("offenders", List.of("ip:203.0.113.5", "user:42"), NOW.minus(minutes(5))));

        assertThat(await(store.alertedSince("offenders", NOW.minus(hours(1)))))
                .isEqualTo(Map.of("ip:203.0.113.5", NOW.minus(minutes(5)), "user:42", NOW.minus(minutes(5))));
    }

    @Test
    void marksBeforeSinceAreLeftOutAndAMarkAtSinceIsIn() {
        Instant since = NOW.minus(hours(1));
        await(store.recordAlerted("offenders", List.of("before"), since.minusMillis(1)));
        await(store.recordAlerted("offenders", List.of("at"), since));
        await(store.recordAlerted("offenders", List.of("after"), NOW));

        assertThat(await(store.alertedSince("offenders", since))).containsOnlyKeys("at", "after");
        assertThat(await(store.alertedSince("offenders", NOW.plusMillis(1)))).isEmpty();
    }

    @Test
    void aKeyKeepsItsLatestMark() {
        await(store.recordAlerted("offenders", List.of("k"), NOW.minus(minutes(30))));
        await(store.recordAlerted("offenders", List.of("k"), NOW.minus(minutes(10))));
        await(store.recordAlerted("offenders", List.of("k"), NOW.minus(minutes(20))));

        assertThat(await(store.alertedSince("offenders", NOW.minus(hours(1)))))
                .isEqualTo(Map.of("k", NOW.minus(minutes(10))));
        assertThat(await(store.alertedSince("offenders", NOW.minus(minutes(15)))))
                .containsOnlyKeys("k");
    }

    @Test
    void eachKindHasMarksOfItsOwn() {
        await(store.recordAlerted("offenders", List.of("k"), NOW));

        assertThat(await(store.alertedSince("traffic", NOW.minus(hours(1))))).isEmpty();
        assertThat(await(store.alertedSince("offenders", NOW.minus(hours(1))))).containsOnlyKeys("k");
    }

    @Test
    void marksAreKeptToTheMillisecondAndKeysAsEventsKeepThem() {
        String longKey = "k".repeat(RateLimitEvent.MAX_KEY + 20);
        await(store.recordAlerted("offenders", List.of(longKey, "k", "k"), NOW.plusNanos(999_999)));

        assertThat(await(store.alertedSince("offenders", NOW)))
                .isEqualTo(Map.of(RateLimitEvent.truncateKey(longKey), NOW, "k", NOW));
    }

    @Test
    void markingNoKeysMarksNothing() {
        await(store.recordAlerted("offenders", List.of(), NOW));

        assertThat(await(store.alertedSince("offenders", Instant.EPOCH))).isEmpty();
    }

    @Test
    void marksDoNotMoveWithTheClock() {
        await(store.recordAlerted("offenders", List.of("k"), NOW.minus(Duration.ofDays(3))));

        clock.advance(Duration.ofDays(20));

        assertThat(await(store.alertedSince("offenders", NOW.minus(Duration.ofDays(4)))))
                .containsOnlyKeys("k");
    }

    @Test
    void deletingOldEventsForgetsOldMarksWithoutCountingThem() {
        append(blocked("old", Duration.ofDays(31)), blocked("new", hours(1)));
        await(store.recordAlerted("offenders", List.of("old"), NOW.minus(Duration.ofDays(31))));
        await(store.recordAlerted("offenders", List.of("edge"), NOW.minus(Duration.ofDays(30))));
        await(store.recordAlerted("traffic", List.of("new"), NOW.minus(hours(1))));

        assertThat(await(store.deleteOlderThan(30))).isEqualTo(1);

        assertThat(await(store.alertedSince("offenders", Instant.EPOCH))).containsOnlyKeys("edge");
        assertThat(await(store.alertedSince("traffic", Instant.EPOCH))).containsOnlyKeys("new");
    }

    @Test
    void rejectsBadAlertMarkArguments() {
        assertRejected(store.alertedSince(null, NOW), "kind");
        assertRejected(store.alertedSince("", NOW), "kind");
        assertRejected(store.alertedSince("k".repeat(EventStore.MAX_ALERT_KIND + 1), NOW), "kind");
        assertRejected(store.alertedSince("offenders", null), "since");
        assertRejected(store.recordAlerted(null, List.of("k"), NOW), "kind");
        assertRejected(store.recordAlerted("offenders", null, NOW), "keys");
        assertRejected(store.recordAlerted("offenders", List.of("k"), null), "at");
        List<String> withNull = new ArrayList<>();
        withNull.add("k");
        withNull.add(null);
        assertRejected(store.recordAlerted("offenders", withNull, NOW), "keys");
        assertThat(await(store.alertedSince("offenders", Instant.EPOCH)))
                .as("a rejected call marks nothing")
                .isEmpty();
        await(store.recordAlerted("k".repeat(EventStore.MAX_ALERT_KIND), List.of("k"), NOW));
    }

    // ---- appends ---------------------------------------------------------------------------------

    @Test
    void concurrentAppendsFromSeveralVerticlesLoseNothing() {
        int verticles = 4;
        int batches = 25;
        int batchSize = 40;
        List<Future<String>> deployments = new ArrayList<>();
        for (int v = 0; v < verticles; v++) {
            deployments.add(vertx.deployVerticle(new Appender(store, "v" + v, batches, batchSize)));
        }
        List<String> ids = await(Future.all(deployments)).list();

        int each = batches * batchSize;
        assertThat(await(store.trafficSummary(1)))
                .isEqualTo(TrafficSummary.of(1, verticles * each / 2, verticles * each / 2));
        assertThat(await(store.topOffenders(1, 10)))
                .containsExactlyInAnyOrder(
                        new Offender("v0", each / 2),
                        new Offender("v1", each / 2),
                        new Offender("v2", each / 2),
                        new Offender("v3", each / 2));
        Set<String> seen = new HashSet<>();
        for (RateLimitEvent event : allEvents(
                EventQuery.builder().pageSize(EventQuery.MAX_PAGE_SIZE).build())) {
            assertThat(seen.add(event.path()))
                    .as("listed once: %s", event.path())
                    .isTrue();
        }
        assertThat(seen).hasSize(verticles * each);
        ids.forEach(id -> await(vertx.undeploy(id)));
    }

    @Test
    void appendingNothingSucceeds() {
        await(store.append(List.of()));

        assertThat(await(store.trafficSummary(1)).total()).isZero();
    }

    @Test
    void overlongFieldsAreTruncatedAndSurviveTheRoundTrip() {
        String longKey = "k".repeat(300);
        RateLimitEvent event = event(longKey, minutes(1))
                .allowed(false)
                .ruleName("r".repeat(150))
                .path("/" + "p".repeat(700))
                .method("PROPFINDXYZZY")
                .userAgent("u".repeat(254) + "\uD83D\uDE00" + "u".repeat(100))
                .build();
        append(event);

        RateLimitEvent stored = await(store.events(EventQuery.all())).events().get(0);

        assertThat(stored).isEqualTo(event);
        assertThat(stored.key()).hasSize(255);
        assertThat(stored.ruleName()).hasSize(100);
        assertThat(stored.path()).hasSize(500);
        assertThat(stored.method()).isEqualTo("PROPFINDXY");
        assertThat(stored.userAgent()).contains("u".repeat(254));
        assertThat(await(store.topOffenders(1, 1))).containsExactly(new Offender("k".repeat(255), 1));
        assertThat(await(store.ruleHitCounts(1, 1))).containsExactly(new RuleHits("r".repeat(100), 1, 1));
        OffenderDetail detail = await(store.offenderDetail(longKey, 1, 5));
        assertThat(detail.key()).isEqualTo("k".repeat(255));
        assertThat(detail.total()).isEqualTo(1);
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        RateLimitEvent full = event("user:42", minutes(2))
                .allowed(true)
                .ruleName("api")
                .path("/api/orders")
                .method("DELETE")
                .count(7)
                .limit(100)
                .ipAddress("2001:db8::1")
                .userId("42")
                .shadow(true)
                .userAgent("Mozilla/5.0 (X11; Linux x86_64) \u00e9\uD83D\uDE00")
                .upstreamStatus(503)
                .upstreamLatency(Duration.ofNanos(12_345_678))
                .build();
        RateLimitEvent bare = event("ip:203.0.113.5", minutes(1))
                .allowed(false)
                .count(0)
                .limit(0)
                .build();
        RateLimitEvent fine = RateLimitEvent.builder()
                .timestamp(NOW.minusSeconds(30).plusNanos(123_456))
                .key("ip:192.0.2.1")
                .path("/")
                .method("GET")
                .allowed(true)
                .count(1)
                .limit(5)
                .build();
        append(full, bare, fine);

        List<RateLimitEvent> stored = await(store.events(EventQuery.all())).events();

        assertThat(stored).containsExactly(fine, bare, full);
        assertThat(stored.get(0).timestamp()).isEqualTo(NOW.minusSeconds(30));
        assertThat(stored.get(1).ipAddress()).isEmpty();
        assertThat(stored.get(1).userId()).isEmpty();
        assertThat(stored.get(1).userAgent()).isEmpty();
        assertThat(stored.get(1).upstreamStatus()).isEmpty();
        assertThat(stored.get(1).upstreamLatency()).isEmpty();
        assertThat(stored.get(2).upstreamLatency()).contains(Duration.ofNanos(12_345_000));
        assertThat(stored.get(2).toJson().encode())
                .isEqualTo("{\"timestamp\":\"2026-03-15T12:32:56.789Z\","
                        + "\"key\":\"user:42\",\"rule_name\":\"api\",\"path\":\"/api/orders\",\"method\":\"DELETE\","
                        + "\"allowed\":true,\"count\":7,\"limit\":100,\"ip_address\":\"2001:db8::1\",\"user_id\":\"42\","
                        + "\"shadow\":true,\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) \u00e9\uD83D\uDE00\","
                        + "\"upstream_status\":503,\"upstream_latency_ms\":12.345}");
    }

    // ---- batches with an id ----------------------------------------------------------------------

    @Test
    void aBatchSentTwiceUnderOneIdIsStoredOnceAnsweringTrueThenFalse() {
        List<RateLimitEvent> batch = List.of(blocked("k", minutes(3)), allowed("k", minutes(2)));

        assertThat(await(store.appendBatch("spool-1:0", batch))).isTrue();
        assertThat(await(store.appendBatch("spool-1:0", batch))).isFalse();

        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1));
        assertThat(allEvents(EventQuery.all())).hasSize(2);
    }

    @Test
    void aKnownIdStoresNothingWhateverEventsItCarriesNow() {
        await(store.appendBatch("b", List.of(blocked("first", minutes(1)))));

        assertThat(await(store.appendBatch("b", List.of(blocked("second", minutes(1)), allowed("x", minutes(2))))))
                .isFalse();

        assertThat(await(store.topOffenders(1, 10))).containsExactly(new Offender("first", 1));
        assertThat(await(store.trafficSummary(1)).total()).isEqualTo(1);
    }

    @Test
    void batchesUnderDifferentIdsAreAllStored() {
        assertThat(await(store.appendBatch("a", List.of(blocked("k", minutes(1))))))
                .isTrue();
        assertThat(await(store.appendBatch("A", List.of(blocked("k", minutes(1))))))
                .isTrue();
        assertThat(await(store.appendBatch("a ", List.of(blocked("k", minutes(1))))))
                .isTrue();
        append(blocked("k", minutes(1)));

        assertThat(await(store.topOffenders(1, 10))).containsExactly(new Offender("k", 4));
    }

    @Test
    void anEmptyBatchRecordsItsIdAndNoEvent() {
        assertThat(await(store.appendBatch("empty", List.of()))).isTrue();
        assertThat(await(store.appendBatch("empty", List.of(blocked("k", minutes(1))))))
                .isFalse();

        assertThat(await(store.trafficSummary(1)).total()).isZero();
    }

    @Test
    void concurrentCallsWithOneIdStoreTheBatchOnce() {
        int verticles = 6;
        int rounds = 5;
        List<Future<String>> deployments = new ArrayList<>();
        List<BatchSender> senders = new ArrayList<>();
        for (int v = 0; v < verticles; v++) {
            BatchSender sender = new BatchSender(store, v, rounds);
            senders.add(sender);
            deployments.add(vertx.deployVerticle(sender));
        }
        List<String> ids = await(Future.all(deployments)).list();

        for (int round = 0; round < rounds; round++) {
            int r = round;
            assertThat(senders)
                    .as("round %d", round)
                    .filteredOn(sender -> sender.shared.get(r))
                    .hasSize(1);
            assertThat(senders).allMatch(sender -> sender.own.get(r));
        }
        long shared = rounds * (long) BatchSender.SHARED;
        long own = (long) verticles * rounds * BatchSender.OWN;
        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, own, shared));
        assertThat(await(store.topOffenders(1, 10))).containsExactly(new Offender("shared", shared));
        assertThat(allEvents(
                        EventQuery.builder().pageSize(EventQuery.MAX_PAGE_SIZE).build()))
                .hasSize((int) (shared + own));
        ids.forEach(id -> await(vertx.undeploy(id)));
    }

    @Test
    void aBatchCountsInEveryAnswerExactlyLikeAnAppendOfTheSameEvents() {
        ScanningEventStore reference = new ScanningEventStore(clock);
        List<RateLimitEvent> events = spread(1200, Duration.ofDays(9));
        for (int from = 0, n = 0; from < events.size(); from += 100, n++) {
            List<RateLimitEvent> batch = events.subList(from, from + 100);
            if (n % 3 == 2) {
                append(batch);
            } else {
                assertThat(await(store.appendBatch("batch-" + n, batch))).isTrue();
            }
            await(reference.append(batch));
        }
        for (int n = 0; n < 12; n++) {
            assertThat(await(store.appendBatch("batch-" + n, events.subList(0, 100))))
                    .as("batch-%d again", n)
                    .isEqualTo(n % 3 == 2);
            if (n % 3 == 2) {
                await(reference.append(events.subList(0, 100)));
            }
        }

        for (int days : new int[] {1, 3, 7, 10}) {
            assertThat(await(store.trafficSummary(days))).isEqualTo(await(reference.trafficSummary(days)));
            assertThat(await(store.topOffenders(days, 5))).isEqualTo(await(reference.topOffenders(days, 5)));
            assertThat(await(store.topShadowOffenders(days, 5)))
                    .isEqualTo(await(reference.topShadowOffenders(days, 5)));
            assertThat(await(store.ruleHitCounts(days, 5))).isEqualTo(await(reference.ruleHitCounts(days, 5)));
            assertThat(await(store.timeSeries(days, 37))).isEqualTo(await(reference.timeSeries(days, 37)));
            for (String key : List.of("key-0", "key-3", "key-10")) {
                assertThat(await(store.offenderDetail(key, days, 7)))
                        .isEqualTo(await(reference.offenderDetail(key, days, 7)));
            }
        }
        EventQuery everything =
                EventQuery.builder().pageSize(EventQuery.MAX_PAGE_SIZE).build();
        List<RateLimitEvent> expected = new ArrayList<>();
        EventPage page = await(reference.events(everything));
        expected.addAll(page.events());
        while (page.nextCursor().isPresent()) {
            page = await(reference.events(everything.after(page.nextCursor().get())));
            expected.addAll(page.events());
        }
        assertThat(allEvents(everything)).isEqualTo(expected);
    }

    @Test
    void aBatchIdOutlivesADeletionThatKeepsItsEvents() {
        await(store.appendBatch("recent", List.of(blocked("k", hours(1)))));
        append(blocked("old", Duration.ofDays(40)));

        assertThat(await(store.deleteOlderThan(30))).isEqualTo(1);

        assertThat(await(store.appendBatch("recent", List.of(blocked("k", hours(1))))))
                .isFalse();
        assertThat(await(store.trafficSummary(1)).total()).isEqualTo(1);
    }

    @Test
    void aBatchIdStaysWhileItsEventsStampedAheadOfTheClockStay() {
        await(store.appendBatch("ahead", List.of(blocked("k", hours(-2)))));
        clock.advance(Duration.ofDays(30).plus(hours(1)));

        assertThat(await(store.deleteOlderThan(30))).isZero();
        assertThat(await(store.appendBatch("ahead", List.of(blocked("k", hours(-2))))))
                .isFalse();

        clock.advance(hours(2));
        assertThat(await(store.deleteOlderThan(30))).isEqualTo(1);
        assertThat(await(store.appendBatch("ahead", List.of(blocked("k", hours(-2))))))
                .isTrue();
    }

    @Test
    void deletingOldEventsForgetsTheIdsOfTheirBatches() {
        await(store.appendBatch("gone", List.of(blocked("k", hours(1)))));
        await(store.appendBatch("empty", List.of()));
        clock.advance(Duration.ofDays(31));

        assertThat(await(store.deleteOlderThan(30))).as("ids are not counted").isEqualTo(1);

        assertThat(await(store.appendBatch("gone", List.of(blocked("k", hours(1))))))
                .isTrue();
        assertThat(await(store.appendBatch("empty", List.of()))).isTrue();
    }

    @Test
    void rejectsBadBatchIdsAndStoresNothingForThem() {
        List<RateLimitEvent> batch = List.of(blocked("k", minutes(1)));
        assertRejected(store.appendBatch(null, batch), "batchId");
        assertRejected(store.appendBatch("", batch), "batchId");
        assertRejected(store.appendBatch("b".repeat(EventStore.MAX_BATCH_ID + 1), batch), "batchId");
        assertRejected(store.appendBatch("b", null), "events");
        List<RateLimitEvent> withNull = new ArrayList<>();
        withNull.add(allowed("k", minutes(1)));
        withNull.add(null);
        assertRejected(store.appendBatch("b", withNull), "events");

        assertThat(await(store.trafficSummary(1)).total())
                .as("a rejected batch stores nothing")
                .isZero();
        assertThat(await(store.appendBatch("b", batch)))
                .as("nor records its id")
                .isTrue();
        assertThat(await(store.appendBatch("b".repeat(EventStore.MAX_BATCH_ID), batch)))
                .isTrue();
        assertThat(await(store.trafficSummary(1)).total()).isEqualTo(2);
    }

    // ---- raw events ------------------------------------------------------------------------------

    @Test
    void eventsListNewestFirstWhateverTheirAge() {
        append(
                allowed("a", hours(3)),
                allowed("b", Duration.ofDays(400)),
                allowed("c", minutes(1)),
                allowed("d", Duration.ofSeconds(-10)));

        EventPage page = await(store.events(EventQuery.all()));

        assertThat(page.events()).extracting(RateLimitEvent::key).containsExactly("d", "c", "a", "b");
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void eventsFilterByKeyRulePathAndOutcome() {
        append(
                path(rule(blocked("ip:1", minutes(1)), "login"), "/login"),
                path(rule(allowed("ip:1", minutes(2)), "api"), "/api/a"),
                path(rule(blocked("ip:2", minutes(3)), "api"), "/api/a"),
                path(allowed("ip:2", minutes(4)), "/health"),
                path(rule(blocked("ip:10", minutes(5)), "api"), "/api/b"),
                path(rule(shadowBlocked("ip:3", minutes(6)), "trial"), "/api/c"));

        assertThat(keysAndPaths(EventQuery.builder().key("ip:1"))).containsExactly("ip:1 /login", "ip:1 /api/a");
        assertThat(keysAndPaths(EventQuery.builder().ruleName("api")))
                .containsExactly("ip:1 /api/a", "ip:2 /api/a", "ip:10 /api/b");
        assertThat(keysAndPaths(EventQuery.builder().ruleName(""))).containsExactly("ip:2 /health");
        assertThat(keysAndPaths(EventQuery.builder().path("/api/a"))).containsExactly("ip:1 /api/a", "ip:2 /api/a");
        assertThat(keysAndPaths(EventQuery.builder().outcome(EventQuery.Outcome.BLOCKED)))
                .containsExactly("ip:1 /login", "ip:2 /api/a", "ip:10 /api/b");
        assertThat(keysAndPaths(EventQuery.builder().outcome(EventQuery.Outcome.ALLOWED)))
                .containsExactly("ip:1 /api/a", "ip:2 /health");
        assertThat(keysAndPaths(EventQuery.builder().outcome(EventQuery.Outcome.SHADOW_BLOCKED)))
                .containsExactly("ip:3 /api/c");
        assertThat(keysAndPaths(EventQuery.builder()
                        .ruleName("api")
                        .outcome(EventQuery.Outcome.BLOCKED)
                        .key("ip:2")))
                .containsExactly("ip:2 /api/a");
        assertThat(keysAndPaths(EventQuery.builder().ruleName("api").outcome(EventQuery.Outcome.SHADOW_BLOCKED)))
                .isEmpty();
        assertThat(keysAndPaths(EventQuery.builder().key("ip:4"))).isEmpty();
    }

    @Test
    void eventsFilterByATimeRangeFromInclusiveToExclusive() {
        append(
                allowed("a", minutes(10)),
                allowed("b", minutes(20)),
                allowed("c", minutes(30)),
                allowed("d", minutes(40)));

        EventQuery.Builder range =
                EventQuery.builder().from(NOW.minus(minutes(30))).to(NOW.minus(minutes(10)));
        assertThat(keysAndPaths(range)).containsExactly("b /", "c /");
        assertThat(keysAndPaths(EventQuery.builder().from(NOW.minus(minutes(20)))))
                .containsExactly("a /", "b /");
        assertThat(keysAndPaths(EventQuery.builder().to(NOW.minus(minutes(30)))))
                .containsExactly("d /");
    }

    @Test
    void eventsSearchKeysAndPathsForASubstringIgnoringCase() {
        append(
                path(allowed("user:Alice", minutes(1)), "/home"),
                path(allowed("ip:10.0.0.1", minutes(2)), "/API/Login"),
                path(allowed("ip:10.0.0.2", minutes(3)), "/health"),
                path(allowed("header:x-api-key:abc", minutes(4)), "/"));

        assertThat(keysAndPaths(EventQuery.builder().search("alice"))).containsExactly("user:Alice /home");
        assertThat(keysAndPaths(EventQuery.builder().search("login"))).containsExactly("ip:10.0.0.1 /API/Login");
        assertThat(keysAndPaths(EventQuery.builder().search("Api")))
                .containsExactly("ip:10.0.0.1 /API/Login", "header:x-api-key:abc /");
        assertThat(keysAndPaths(EventQuery.builder().search("10.0.0.")))
                .containsExactly("ip:10.0.0.1 /API/Login", "ip:10.0.0.2 /health");
        assertThat(keysAndPaths(EventQuery.builder().search("nothing-like-it"))).isEmpty();
    }

    @Test
    void pagesThroughEqualTimestampsWithoutLossOrDuplicates() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(path(blocked("k", minutes(5)), "/" + i));
        }
        append(events.subList(0, 12));
        append(events.subList(12, 25));

        EventQuery query = EventQuery.builder().pageSize(10).build();
        EventPage first = await(store.events(query));
        EventPage second = await(store.events(query.after(first.nextCursor().orElseThrow())));
        EventPage third = await(store.events(query.after(second.nextCursor().orElseThrow())));

        assertThat(first.events()).hasSize(10);
        assertThat(second.events()).hasSize(10);
        assertThat(third.events()).hasSize(5);
        assertThat(third.nextCursor()).isEmpty();
        List<String> paths = new ArrayList<>();
        for (EventPage page : List.of(first, second, third)) {
            page.events().forEach(event -> paths.add(event.path()));
        }
        assertThat(paths)
                .isEqualTo(IntStream.iterate(24, i -> i >= 0, i -> i - 1)
                        .mapToObj(i -> "/" + i)
                        .toList());
    }

    @Test
    void pagesStayPutWhileNewerEventsArrive() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            events.add(path(allowed("k", minutes(15 - i)), "/old-" + i));
        }
        append(events);
        EventQuery query = EventQuery.builder().pageSize(10).build();
        EventPage first = await(store.events(query));

        append(path(allowed("k", Duration.ZERO), "/new"), path(allowed("k", minutes(10)), "/same-time"));
        EventPage second = await(store.events(query.after(first.nextCursor().orElseThrow())));

        assertThat(first.events()).extracting(RateLimitEvent::path).endsWith("/old-5");
        assertThat(second.events())
                .extracting(RateLimitEvent::path)
                .containsExactly("/old-4", "/old-3", "/old-2", "/old-1", "/old-0");
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void filtersHoldAcrossPages() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(path((i % 3 == 0 ? blocked("k", minutes(i + 1)) : allowed("k", minutes(i + 1))), "/" + i));
        }
        append(events);

        List<RateLimitEvent> blocked = allEvents(EventQuery.builder()
                .outcome(EventQuery.Outcome.BLOCKED)
                .pageSize(3)
                .build());

        assertThat(blocked)
                .extracting(RateLimitEvent::path)
                .containsExactly("/0", "/3", "/6", "/9", "/12", "/15", "/18", "/21", "/24", "/27");
    }

    @Test
    void aFullLastPageHasNoNextCursor() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(allowed("k", minutes(i + 1)));
        }
        append(events);

        EventPage page = await(store.events(EventQuery.builder().pageSize(10).build()));

        assertThat(page.events()).hasSize(10);
        assertThat(page.nextCursor()).isEmpty();
        assertThat(await(store.events(EventQuery.builder().pageSize(9).build())).nextCursor())
                .isPresent();
    }

    @Test
    void anEmptyLogHasAnEmptyFirstPage() {
        EventPage page = await(store.events(EventQuery.all()));

        assertThat(page.events()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.toJson().encode()).isEqualTo("{\"events\":[],\"next_cursor\":null}");
    }

    // ---- dashboard rules -------------------------------------------------------------------------

    @Test
    void aCreatedRuleIsAtVersionOneStampedToTheMillisecondWithWhoSavedIt() {
        StoredRule saved = await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW.plusNanos(1_234_567)));

        StoredRule expected = new StoredRule("api", apiRule(5), 1, NOW.plusMillis(1), "alice");
        assertThat(saved).isEqualTo(expected);
        assertThat(await(store.storedRules())).containsExactly(expected);
        assertThat(saved.toJson().encode())
                .isEqualTo("{\"name\":\"api\",\"config\":{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":5,"
                        + "\"window\":\"1m\"},\"version\":1,\"updated_at\":\"2026-03-15T12:34:56.790Z\","
                        + "\"updated_by\":\"alice\"}");
        List<RuleChange> changes = await(store.ruleChanges(10));
        assertThat(changes).hasSize(1);
        RuleChange creation = changes.get(0);
        assertThat(creation.at()).isEqualTo(NOW.plusMillis(1));
        assertThat(creation.who()).isEqualTo("alice");
        assertThat(creation.action()).isEqualTo("create");
        assertThat(creation.ruleName()).isEqualTo("api");
        assertThat(creation.before()).isNull();
        assertThat(creation.after()).isEqualTo(apiRule(5));
        assertThat(creation.toJson().fieldNames())
                .containsExactlyInAnyOrder("id", "at", "who", "action", "rule_name", "before", "after");
        assertThat(creation.toJson().getValue("before")).isNull();
    }

    @Test
    void creatingARuleThatExistsConflictsAndChangesNothing() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW));

        RuleConflictException conflict = conflict(store.saveRule("api", apiRule(9), 0, "bob", "create", NOW));

        assertThat(conflict.name()).isEqualTo("api");
        assertThat(conflict.expectedVersion()).isZero();
        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertThat(conflict).hasMessage("rule 'api' exists already (version 1)");
        assertThat(await(store.storedRules())).extracting(StoredRule::config).containsExactly(apiRule(5));
        assertThat(await(store.ruleChanges(10))).hasSize(1);
    }

    @Test
    void anUpdateAtTheReadVersionMovesToVersionTwoAndRecordsBeforeAndAfter() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW));

        StoredRule updated = await(store.saveRule("api", apiRule(7), 1, "bob", "update", NOW.plusSeconds(60)));

        assertThat(updated).isEqualTo(new StoredRule("api", apiRule(7), 2, NOW.plusSeconds(60), "bob"));
        assertThat(await(store.storedRules())).containsExactly(updated);
        RuleChange change = await(store.ruleChanges(1)).get(0);
        assertThat(change.who()).isEqualTo("bob");
        assertThat(change.action()).isEqualTo("update");
        assertThat(change.at()).isEqualTo(NOW.plusSeconds(60));
        assertThat(change.before()).isEqualTo(apiRule(5));
        assertThat(change.after()).isEqualTo(apiRule(7));
    }

    @Test
    void aStaleUpdateConflictsNamingTheActualVersionAndChangesNothing() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW));
        await(store.saveRule("api", apiRule(6), 1, "alice", "update", NOW));
        await(store.saveRule("api", apiRule(7), 2, "alice", "update", NOW));

        RuleConflictException conflict = conflict(store.saveRule("api", apiRule(9), 2, "bob", "update", NOW));

        assertThat(conflict.expectedVersion()).isEqualTo(2);
        assertThat(conflict.actualVersion()).isEqualTo(3);
        assertThat(conflict).hasMessage("rule 'api' is at version 3, not 2");
        assertThat(await(store.storedRules())).containsExactly(new StoredRule("api", apiRule(7), 3, NOW, "alice"));
        assertThat(await(store.ruleChanges(10))).hasSize(3);
    }

    @Test
    void updatingARuleThatDoesNotExistConflictsWithActualVersionZero() {
        RuleConflictException conflict = conflict(store.saveRule("api", apiRule(5), 1, "bob", "update", NOW));

        assertThat(conflict.actualVersion()).isZero();
        assertThat(conflict).hasMessage("rule 'api' does not exist");
        assertThat(await(store.storedRules())).isEmpty();
        assertThat(await(store.ruleChanges(10))).isEmpty();
    }

    @Test
    void aDeletionAtTheReadVersionRemovesTheRuleAndRecordsIt() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW));
        await(store.saveRule("web", apiRule(6), 0, "alice", "create", NOW));

        await(store.deleteRule("api", 1, "bob", NOW.plusSeconds(5)));

        assertThat(await(store.storedRules())).extracting(StoredRule::name).containsExactly("web");
        RuleChange deletion = await(store.ruleChanges(1)).get(0);
        assertThat(deletion.action()).isEqualTo(EventStore.DELETE_ACTION).isEqualTo("delete");
        assertThat(deletion.who()).isEqualTo("bob");
        assertThat(deletion.ruleName()).isEqualTo("api");
        assertThat(deletion.at()).isEqualTo(NOW.plusSeconds(5));
        assertThat(deletion.before()).isEqualTo(apiRule(5));
        assertThat(deletion.after()).isNull();
        assertThat(deletion.toJson().getValue("after")).isNull();
        await(store.saveRule("api", apiRule(8), 0, "carol", "create", NOW));
        assertThat(await(store.storedRules()))
                .as("a deleted rule can be created again, at version 1")
                .contains(new StoredRule("api", apiRule(8), 1, NOW, "carol"));
    }

    @Test
    void aStaleDeletionConflictsAndKeepsTheRule() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW));
        await(store.saveRule("api", apiRule(6), 1, "alice", "update", NOW));

        RuleConflictException conflict = conflict(store.deleteRule("api", 1, "bob", NOW));

        assertThat(conflict.expectedVersion()).isEqualTo(1);
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(await(store.storedRules())).extracting(StoredRule::version).containsExactly(2L);
        assertThat(await(store.ruleChanges(10))).hasSize(2);
    }

    @Test
    void deletingARuleThatDoesNotExistConflictsWithActualVersionZero() {
        RuleConflictException conflict = conflict(store.deleteRule("api", 1, "bob", NOW));

        assertThat(conflict.actualVersion()).isZero();
        assertThat(conflict).hasMessage("rule 'api' does not exist");
        assertThat(await(store.ruleChanges(10))).isEmpty();
    }

    @Test
    void rulesAreListedByNameAscending() {
        for (String name : List.of("web", "API", "api", "admin", "b")) {
            await(store.saveRule(name, apiRule(1), 0, "alice", "create", NOW));
        }

        assertThat(await(store.storedRules()))
                .extracting(StoredRule::name)
                .containsExactly("API", "admin", "api", "b", "web");
    }

    @Test
    void changesListNewestFirstWithIncreasingIdsAndStopAtTheLimit() {
        await(store.saveRule("a", apiRule(1), 0, "alice", "create", NOW));
        await(store.saveRule("b", apiRule(2), 0, "bob", "create", NOW));
        await(store.saveRule("a", apiRule(3), 1, "carol", "disable", NOW));
        await(store.deleteRule("b", 1, "dave", NOW));

        List<RuleChange> all = await(store.ruleChanges(EventStore.MAX_RULE_CHANGES));
        assertThat(all).extracting(RuleChange::who).containsExactly("dave", "carol", "bob", "alice");
        assertThat(all).extracting(RuleChange::action).containsExactly("delete", "disable", "create", "create");
        assertThat(all.get(0).id()).isGreaterThan(all.get(1).id());
        assertThat(all.get(1).id()).isGreaterThan(all.get(2).id());
        assertThat(all.get(2).id()).isGreaterThan(all.get(3).id());
        assertThat(await(store.ruleChanges(2))).isEqualTo(all.subList(0, 2));
    }

    @Test
    void ofSixteenConcurrentSavesExpectingOneVersionExactlyOneWins() {
        List<Future<StoredRule>> creations = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            creations.add(store.saveRule("api", apiRule(i), 0, "editor" + i, "create", NOW));
        }
        assertExactlyOneWins(creations, 0);

        List<Future<StoredRule>> updates = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            updates.add(store.saveRule("api", apiRule(100 + i), 1, "editor" + i, "update", NOW));
        }
        StoredRule winner = assertExactlyOneWins(updates, 1);

        assertThat(winner.version()).isEqualTo(2);
        assertThat(await(store.storedRules())).containsExactly(winner);
        List<RuleChange> changes = await(store.ruleChanges(100));
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).after()).isEqualTo(winner.config());
        assertThat(changes.get(0).before()).isEqualTo(changes.get(1).after());

        List<Future<Void>> deletions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            deletions.add(store.deleteRule("api", 2, "editor" + i, NOW));
        }
        await(Future.join(deletions).otherwiseEmpty());
        assertThat(deletions).filteredOn(Future::succeeded).hasSize(1);
        assertThat(await(store.ruleChanges(100))).hasSize(3);
    }

    @Test
    void theConfigIsKeptExactlyAndCopiedInAndOut() {
        JsonObject config = new JsonObject()
                .put("name", "ünïcode ✓ 😀")
                .put("limit", 5)
                .put("big", Long.MAX_VALUE)
                .put("ratio", 0.25)
                .put("on", true)
                .putNull("nothing")
                .put(
                        "nested",
                        new JsonObject()
                                .put("list", new JsonArray().add(1).add("two").add(new JsonObject())))
                .put("quote", "a\"b\\c\n\u0000");
        JsonObject expected = config.copy();

        StoredRule saved = await(store.saveRule("api", config, 0, "alice", "create", NOW));
        config.put("limit", 99);
        saved.config().put("limit", 98);

        assertThat(saved.config()).isEqualTo(expected);
        StoredRule listed = await(store.storedRules()).get(0);
        assertThat(listed.config()).isEqualTo(expected);
        assertThat(listed.config().encode()).isEqualTo(expected.encode());
        assertThat(await(store.ruleChanges(1)).get(0).after()).isEqualTo(expected);
    }

    @Test
    void aConfigOfExactlyTheLargestSizeIsKeptAndOneByteMoreIsRejected() {
        String base = new JsonObject().put("name", "big").put("pad", "").encode();
        int room = EventStore.MAX_RULE_CONFIG_BYTES - base.length();
        // "é" is two bytes of UTF-8: the bound is on bytes, not characters
        JsonObject largest =
                new JsonObject().put("name", "big").put("pad", "é".repeat(room / 2) + "x".repeat(room % 2));
        assertThat(largest.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSize(EventStore.MAX_RULE_CONFIG_BYTES);

        assertThat(await(store.saveRule("big", largest, 0, "alice", "create", NOW))
                        .config())
                .isEqualTo(largest);
        assertRejected(
                store.saveRule("big", largest.copy().put("pad", largest.getString("pad") + "x"), 1, "a", "u", NOW),
                "config");
    }

    @Test
    void rejectsBadRuleArgumentsAndChangesNothing() {
        JsonObject config = apiRule(5);
        String longName = "n".repeat(EventStore.MAX_RULE_NAME + 1);
        String longWho = "w".repeat(EventStore.MAX_WHO + 1);
        String longAction = "a".repeat(EventStore.MAX_ACTION + 1);
        JsonObject tooLarge = new JsonObject().put("pad", "x".repeat(EventStore.MAX_RULE_CONFIG_BYTES));
        JsonObject notJson = new JsonObject().put("thing", new Object());

        for (String name : new String[] {null, "", "  ", longName, "a\nb", "a\u0000b"}) {
            assertRejected(store.saveRule(name, config, 0, "alice", "create", NOW), "name");
            assertRejected(store.deleteRule(name, 1, "alice", NOW), "name");
        }
        assertRejected(store.saveRule("api", null, 0, "alice", "create", NOW), "config");
        assertRejected(store.saveRule("api", tooLarge, 0, "alice", "create", NOW), "config");
        assertRejected(store.saveRule("api", notJson, 0, "alice", "create", NOW), "config");
        assertRejected(store.saveRule("api", config, -1, "alice", "create", NOW), "expectedVersion");
        assertRejected(store.deleteRule("api", 0, "alice", NOW), "expectedVersion");
        assertRejected(store.deleteRule("api", -1, "alice", NOW), "expectedVersion");
        for (String who : new String[] {null, "", " ", longWho, "a\tb"}) {
            assertRejected(store.saveRule("api", config, 0, who, "create", NOW), "who");
            assertRejected(store.deleteRule("api", 1, who, NOW), "who");
        }
        for (String action : new String[] {null, "", " ", longAction, "a\rb"}) {
            assertRejected(store.saveRule("api", config, 0, "alice", action, NOW), "action");
        }
        assertRejected(store.saveRule("api", config, 0, "alice", "create", null), "at");
        assertRejected(store.deleteRule("api", 1, "alice", null), "at");
        assertRejected(store.ruleChanges(0), "limit");
        assertRejected(store.ruleChanges(-1), "limit");
        assertRejected(store.ruleChanges(EventStore.MAX_RULE_CHANGES + 1), "limit");

        assertThat(await(store.storedRules()))
                .as("a rejected call stores nothing")
                .isEmpty();
        assertThat(await(store.ruleChanges(EventStore.MAX_RULE_CHANGES))).isEmpty();
        String longest = "n".repeat(EventStore.MAX_RULE_NAME);
        await(store.saveRule(
                longest, config, 0, "w".repeat(EventStore.MAX_WHO), "a".repeat(EventStore.MAX_ACTION), NOW));
        await(store.deleteRule(longest, 1, "w".repeat(EventStore.MAX_WHO), NOW));
        assertThat(await(store.ruleChanges(EventStore.MAX_RULE_CHANGES))).hasSize(2);
    }

    @Test
    void aCreationBeyondTheLargestNumberOfRulesFailsWhileUpdatesGoOn() {
        for (int from = 0; from < EventStore.MAX_STORED_RULES; from += 100) {
            List<Future<StoredRule>> creations = new ArrayList<>();
            for (int i = from; i < from + 100; i++) {
                creations.add(
                        store.saveRule(String.format(Locale.ROOT, "rule-%04d", i), apiRule(i), 0, "a", "create", NOW));
            }
            await(Future.all(creations));
        }
        assertThat(await(store.storedRules())).hasSize(EventStore.MAX_STORED_RULES);

        assertThatThrownBy(() -> await(store.saveRule("one-more", apiRule(1), 0, "a", "create", NOW)))
                .cause()
                .isExactlyInstanceOf(EventStoreException.class)
                .hasMessageContaining(String.valueOf(EventStore.MAX_STORED_RULES));
        assertThat(await(store.saveRule("rule-0000", apiRule(2), 1, "a", "update", NOW))
                        .version())
                .isEqualTo(2);
        await(store.deleteRule("rule-0001", 1, "a", NOW));
        await(store.saveRule("one-more", apiRule(1), 0, "a", "create", NOW));
        assertThat(await(store.storedRules())).hasSize(EventStore.MAX_STORED_RULES);
    }

    @Test
    void deletingOldEventsLeavesRulesAndTheirChanges() {
        await(store.saveRule("api", apiRule(5), 0, "alice", "create", NOW.minus(DAY.multipliedBy(400))));
        await(store.saveRule("api", apiRule(6), 1, "alice", "update", NOW.minus(DAY.multipliedBy(300))));
        append(blocked("k", DAY.multipliedBy(40)));
        clock.advance(DAY.multipliedBy(400));

        assertThat(await(store.deleteOlderThan(1))).isEqualTo(1);

        assertThat(await(store.storedRules()))
                .containsExactly(new StoredRule("api", apiRule(6), 2, NOW.minus(DAY.multipliedBy(300)), "alice"));
        assertThat(await(store.ruleChanges(10))).hasSize(2);
    }

    private static JsonObject apiRule(int limit) {
        return new JsonObject()
                .put("name", "api")
                .put("path", "/api/*")
                .put("limit", limit)
                .put("window", "1m");
    }

    private static RuleConflictException conflict(Future<?> future) {
        Throwable failure = Await.failure(future);
        assertThat(failure).isInstanceOf(RuleConflictException.class);
        return (RuleConflictException) failure;
    }

    private static <T> T assertExactlyOneWins(List<Future<T>> calls, long expectedVersion) {
        await(Future.join(calls).otherwiseEmpty());
        assertThat(calls).filteredOn(Future::succeeded).hasSize(1);
        assertThat(calls)
                .filteredOn(Future::failed)
                .hasSize(calls.size() - 1)
                .allSatisfy(call -> assertThat(call.cause())
                        .isInstanceOfSatisfying(
                                RuleConflictException.class,
                                conflict ->
                                        assertThat(conflict.expectedVersion()).isEqualTo(expectedVersion)));
        return calls.stream()
                .filter(Future::succeeded)
                .findFirst()
                .orElseThrow()
                .result();
    }

    // ---- arguments and lifecycle -----------------------------------------------------------------

    @Test
    void rejectsWindowsShorterThanADay() {
        for (int days : new int[] {0, -1}) {
            assertRejected(store.trafficSummary(days), "days");
            assertRejected(store.topOffenders(days, 10), "days");
            assertRejected(store.topShadowOffenders(days, 10), "days");
            assertRejected(store.ruleHitCounts(days, 10), "days");
            assertRejected(store.offenderDetail("k", days, 10), "days");
            assertRejected(store.timeSeries(days, 10), "days");
            assertRejected(store.deleteOlderThan(days, 10), "days");
        }
    }

    @Test
    void rejectsLimitsBatchesAndBucketsBelowOne() {
        assertRejected(store.topOffenders(1, 0), "limit");
        assertRejected(store.topShadowOffenders(1, 0), "limit");
        assertRejected(store.ruleHitCounts(1, -5), "limit");
        assertRejected(store.timeSeries(1, 0), "buckets");
        assertRejected(store.timeSeries(1, TimeSeries.MAX_BUCKETS + 1), "buckets");
        assertRejected(store.deleteOlderThan(30, 0), "batchSize");
        assertRejected(store.offenderDetail("k", 1, -1), "recent");
    }

    @Test
    void rejectsMissingArguments() {
        assertRejected(store.append(null), "events");
        assertRejected(store.offenderDetail(null, 1, 10), "key");
        assertRejected(store.events(null), "query");
        List<RateLimitEvent> withNull = new ArrayList<>();
        withNull.add(allowed("k", minutes(1)));
        withNull.add(null);
        assertRejected(store.append(withNull), "events");
        assertThat(await(store.trafficSummary(1)).total())
                .as("a rejected batch stores nothing")
                .isZero();
    }

    @Test
    void aClosedStoreFailsEveryCall() {
        await(store.close());
        await(store.close());

        assertFailsWithStoreException(store.append(List.of(allowed("k", minutes(1)))));
        assertFailsWithStoreException(store.appendBatch("b", List.of(allowed("k", minutes(1)))));
        assertFailsWithStoreException(store.trafficSummary(1));
        assertFailsWithStoreException(store.topOffenders(1, 10));
        assertFailsWithStoreException(store.topShadowOffenders(1, 10));
        assertFailsWithStoreException(store.ruleHitCounts(1, 10));
        assertFailsWithStoreException(store.offenderDetail("k", 1, 10));
        assertFailsWithStoreException(store.timeSeries(1, 10));
        assertFailsWithStoreException(store.deleteOlderThan(1, 10));
        assertFailsWithStoreException(store.events(EventQuery.all()));
        assertFailsWithStoreException(store.alertedSince("offenders", NOW));
        assertFailsWithStoreException(store.recordAlerted("offenders", List.of("k"), NOW));
        assertFailsWithStoreException(store.storedRules());
        assertFailsWithStoreException(store.saveRule("api", new JsonObject(), 0, "alice", "create", NOW));
        assertFailsWithStoreException(store.deleteRule("api", 1, "alice", NOW));
        assertFailsWithStoreException(store.ruleChanges(10));
    }

    // ---- the provider ----------------------------------------------------------------------------

    @Test
    void theProviderHasAConstantLowerCaseName() {
        EventStoreProvider provider = provider();
        String name = provider.name();

        assertThat(name).isNotBlank().doesNotContainAnyWhitespaces().isEqualTo(name.toLowerCase(Locale.ROOT));
        assertThat(provider.name()).isEqualTo(name);
        assertThat(provider().name()).isEqualTo(name);
    }

    @Test
    void theProviderRefusesAnUnknownSettingNamingItsFullKeyBeforeCreatingAStore() {
        EventStoreProvider provider = provider();
        Settings section = withUnknownSetting();
        String key = section.key(UNKNOWN_SETTING);

        assertThatThrownBy(() -> provider.create(vertx, section, clock))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Appends batches of events, each of them with its own path, from a verticle of its own. */
    private static final class Appender extends VerticleBase {

        private final EventStore store;
        private final String key;
        private final int batches;
        private final int batchSize;

        Appender(EventStore store, String key, int batches, int batchSize) {
            this.store = store;
            this.key = key;
            this.batches = batches;
            this.batchSize = batchSize;
        }

        @Override
        public Future<?> start() {
            List<Future<Void>> appends = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<RateLimitEvent> batch = new ArrayList<>();
                for (int i = 0; i < batchSize; i++) {
                    int n = b * batchSize + i;
                    batch.add(event(key, Duration.ofSeconds(n % 3600))
                            .allowed(n % 2 == 0)
                            .path("/" + key + "/" + n)
                            .build());
                }
                appends.add(store.append(batch));
            }
            return Future.all(appends);
        }
    }

    /**
     * Sends, in each round, the batch of the round's shared id that every sender sends at once, and a batch under
     * an id of its own; remembers what each call answered.
     */
    private static final class BatchSender extends VerticleBase {

        static final int SHARED = 7;
        static final int OWN = 3;

        private final EventStore store;
        private final int sender;
        private final int rounds;
        final List<Boolean> shared = new ArrayList<>();
        final List<Boolean> own = new ArrayList<>();

        BatchSender(EventStore store, int sender, int rounds) {
            this.store = store;
            this.sender = sender;
            this.rounds = rounds;
        }

        @Override
        public Future<?> start() {
            List<Future<Boolean>> sharedCalls = new ArrayList<>();
            List<Future<Boolean>> ownCalls = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<RateLimitEvent> sharedBatch = new ArrayList<>();
                for (int i = 0; i < SHARED; i++) {
                    sharedBatch.add(blocked("shared", Duration.ofSeconds(round * 60L + i)));
                }
                List<RateLimitEvent> ownBatch = new ArrayList<>();
                for (int i = 0; i < OWN; i++) {
                    ownBatch.add(allowed("sender-" + sender, Duration.ofSeconds(round * 60L + i)));
                }
                sharedCalls.add(store.appendBatch("round-" + round, sharedBatch));
                ownCalls.add(store.appendBatch("sender-" + sender + "-round-" + round, ownBatch));
            }
            return Future.all(sharedCalls).compose(done -> Future.all(ownCalls)).onSuccess(done -> {
                sharedCalls.forEach(call -> shared.add(call.result()));
                ownCalls.forEach(call -> own.add(call.result()));
            });
        }
    }

    /** An allowed {@code GET /} event of {@code key}, {@code age} before {@link #NOW}. */
    protected static RateLimitEvent allowed(String key, Duration age) {
        return event(key, age).allowed(true).build();
    }

    /** A blocked {@code GET /} event of {@code key}, {@code age} before {@link #NOW}. */
    protected static RateLimitEvent blocked(String key, Duration age) {
        return event(key, age).allowed(false).build();
    }

    /**
     * A shadow-blocked {@code GET /} event of {@code key}, {@code age} before {@link #NOW}: served, though a shadow
     * rule would have refused it.
     */
    protected static RateLimitEvent shadowBlocked(String key, Duration age) {
        return event(key, age).allowed(true).shadow(true).build();
    }

    /** A builder of a {@code GET /} event of {@code key}, {@code age} before {@link #NOW}, count 1 of 10. */
    protected static RateLimitEvent.Builder event(String key, Duration age) {
        return RateLimitEvent.builder()
                .timestamp(NOW.minus(age))
                .key(key)
                .path("/")
                .method("GET")
                .count(1)
                .limit(10);
    }

    /**
     * {@code count} events spread unevenly over {@code span} before {@link #NOW}: odd milliseconds, minutes
     * and hours, several keys and rules, a third of them blocked, about a tenth shadow-blocked, a few refused with
     * the shadow flag set (blocked all the same), some naming no rule.
     */
    protected static List<RateLimitEvent> spread(int count, Duration span) {
        List<RateLimitEvent> events = new ArrayList<>();
        long spanMillis = span.toMillis();
        long step = spanMillis / count;
        for (int i = 0; i < count; i++) {
            long age = (i * step + (i * 7_919L) % step) % spanMillis;
            String rule = i % 5 == 0 ? "" : "rule-" + (i % 3);
            events.add(event("key-" + (i * 31 % 11), Duration.ofMillis(age))
                    .allowed(i % 3 != 0)
                    .shadow(i % 7 == 1)
                    .ruleName(rule)
                    .path("/p" + (i % 4))
                    .build());
        }
        return events;
    }

    /** {@code event} naming {@code rule}. */
    protected static RateLimitEvent rule(RateLimitEvent event, String rule) {
        return event.toBuilder().ruleName(rule).build();
    }

    /** {@code event} on {@code path}. */
    protected static RateLimitEvent path(RateLimitEvent event, String path) {
        return event.toBuilder().path(path).build();
    }

    private void appendToBoth(EventStore reference, List<RateLimitEvent> events) {
        append(events);
        await(reference.append(events));
    }

    /**
     * {@code count} events at random over {@code span} before {@code end}, over 40 keys, a third of them blocked and
     * a sixth shadow-blocked.
     */
    private static List<RateLimitEvent> eventsBefore(Random random, Instant end, int count, Duration span) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = end.minusMillis((long) (random.nextDouble() * span.toMillis()));
            int outcome = random.nextInt(6);
            events.add(RateLimitEvent.builder()
                    .timestamp(at)
                    .key("ip:" + random.nextInt(40))
                    .ruleName("api")
                    .path("/")
                    .method("GET")
                    .allowed(outcome > 1)
                    .shadow(outcome == 2)
                    .count(1)
                    .limit(10)
                    .build());
        }
        return events;
    }

    protected void append(RateLimitEvent... events) {
        append(List.of(events));
    }

    protected void append(List<RateLimitEvent> events) {
        await(store.append(events));
    }

    /** Every event {@code query} selects, page after page. */
    protected List<RateLimitEvent> allEvents(EventQuery query) {
        List<RateLimitEvent> all = new ArrayList<>();
        EventPage page = await(store.events(query));
        all.addAll(page.events());
        while (page.nextCursor().isPresent()) {
            page = await(store.events(query.after(page.nextCursor().get())));
            all.addAll(page.events());
        }
        return all;
    }

    private List<String> keysAndPaths(EventQuery.Builder query) {
        return allEvents(query.build()).stream()
                .map(event -> event.key() + " " + event.path())
                .toList();
    }

    private void assertInEveryAnswer(int days, String key, String rule) {
        assertThat(await(store.trafficSummary(days))).isEqualTo(TrafficSummary.of(days, 0, 1));
        assertThat(await(store.topOffenders(days, 10))).containsExactly(new Offender(key, 1));
        assertThat(await(store.ruleHitCounts(days, 10))).containsExactly(new RuleHits(rule, 1, 1));
        assertThat(await(store.offenderDetail(key, days, 10)).blocked()).isEqualTo(1);
        assertThat(await(store.timeSeries(days, 24)).summary()).isEqualTo(TrafficSummary.of(days, 0, 1));
    }

    private void assertInNoAnswer(int days, String key) {
        assertThat(await(store.topOffenders(days, 10)))
                .extracting(Offender::key)
                .doesNotContain(key);
        assertThat(await(store.trafficSummary(days)).blocked()).isZero();
        assertThat(await(store.ruleHitCounts(days, 10))).allMatch(hits -> hits.blocked() == 0);
        assertThat(await(store.offenderDetail(key, days, 10))).isEqualTo(OffenderDetail.empty(key, days));
        assertThat(await(store.timeSeries(days, 24)).summary().blocked()).isZero();
    }

    private static TrafficSummary expectedSummary(int days, List<RateLimitEvent> window) {
        long blocked = window.stream().filter(RateLimitEvent::blocked).count();
        long shadowBlocked =
                window.stream().filter(RateLimitEvent::shadowBlocked).count();
        return TrafficSummary.of(days, window.size() - blocked - shadowBlocked, blocked, shadowBlocked);
    }

    private static List<Offender> expectedOffenders(
            List<RateLimitEvent> window, int limit, Predicate<RateLimitEvent> refused) {
        return window.stream()
                .filter(refused)
                .collect(Collectors.groupingBy(RateLimitEvent::key, Collectors.counting()))
                .entrySet()
                .stream()
                .map(entry -> new Offender(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingLong(Offender::blockedCount)
                        .reversed()
                        .thenComparing(Offender::key))
                .limit(limit)
                .toList();
    }

    private static List<RuleHits> expectedRuleHits(List<RateLimitEvent> window, int limit) {
        Predicate<RateLimitEvent> named = event -> !event.ruleName().isEmpty();
        return window.stream()
                .filter(named)
                .collect(Collectors.groupingBy(RateLimitEvent::ruleName))
                .entrySet()
                .stream()
                .map(entry -> new RuleHits(
                        entry.getKey(),
                        entry.getValue().size(),
                        entry.getValue().stream()
                                .filter(RateLimitEvent::blocked)
                                .count(),
                        entry.getValue().stream()
                                .filter(RateLimitEvent::shadowBlocked)
                                .count()))
                .sorted(Comparator.comparingLong(RuleHits::hits).reversed().thenComparing(RuleHits::ruleName))
                .limit(limit)
                .toList();
    }

    private static <T> JsonArray toJson(List<T> rows, Function<T, JsonObject> toJson) {
        JsonArray array = new JsonArray();
        rows.forEach(row -> array.add(toJson.apply(row)));
        return array;
    }

    protected static Duration minutes(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    protected static Duration hours(long hours) {
        return Duration.ofHours(hours);
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
