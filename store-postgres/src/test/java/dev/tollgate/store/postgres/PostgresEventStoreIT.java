package dev.tollgate.store.postgres;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.QuotaDays;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleChange;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.events.StoredRule;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL store owes beyond the contract suite: opening, configuration, migrations, the rollups
 * staying exact, and failing rather than hanging when its server goes away. Each test works in a schema of
 * its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEventStoreIT {

    @RegisterExtension
    static final TestDatabase DATABASE = new TestDatabase();

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    private final PostgresEventStoreProvider provider = new PostgresEventStoreProvider();
    private final List<EventStore> opened = new ArrayList<>();
    private Vertx vertx;
    private String schema;

    @BeforeAll
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stopVertx() {
        Await.close(vertx);
    }

    @org.junit.jupiter.api.BeforeEach
    void nameSchema(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        schema = "t_" + method.substring(0, Math.min(40, method.length()));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(store -> await(store.close()));
        opened.clear();
    }

    // ---- opening and configuration ---------------------------------------------------------------

    @Test
    void theRegistryFindsTheStoreByTheNamePostgres() {
        EventStoreRegistry registry = EventStoreRegistry.fromServiceLoader();

        assertThat(registry.names()).contains("postgres");
        EventStore store = await(registry.create("postgres", vertx, section(config()), MutableClock.at(NOW)));
        opened.add(store);
        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 0, 0));
    }

    @Test
    void anUnreachableDatabaseFailsTheOpeningNamingTheUrlButNotThePassword() {
        JsonObject config = new JsonObject().put("url", "postgresql://postgres:s3cret@127.0.0.1:1/tollgate");

        assertThat(failure(provider.create(vertx, section(config), MutableClock.at(NOW))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("postgresql://postgres@127.0.0.1:1/tollgate")
                .hasMessageContaining("Connection refused")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMissingDatabaseFailsTheOpeningNamingIt() {
        JsonObject config = new JsonObject().put("url", DATABASE.url().replace(DATABASE.name(), "no_such_db"));

        assertThat(failure(provider.create(vertx, section(config), MutableClock.at(NOW))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("/no_such_db")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aWrongSettingIsRefusedBeforeConnectingNamingTheFullKey() {
        assertThatThrownBy(() ->
                        provider.create(vertx, section(new JsonObject().put("poolSize", 0)), MutableClock.at(NOW)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.poolSize: ");
        assertThatThrownBy(() -> provider.create(
                        vertx, section(new JsonObject().put("schema", "drop table")), MutableClock.at(NOW)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.schema: ");
        assertThatThrownBy(() -> provider.create(
                        vertx, section(new JsonObject().put("url", "mysql://localhost/x")), MutableClock.at(NOW)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.url: ");
    }

    @Test
    void theSchemaSettingPutsEveryTableInThatSchemaAndCreatesIt() {
        EventStore store = open(MutableClock.at(NOW));
        await(store.append(List.of(blocked("k", "api", NOW.minusSeconds(5)))));

        assertThat(tables(schema))
                .containsExactlyInAnyOrder(
                        "events",
                        "alert_marks",
                        "rollup_totals",
                        "rollup_rules",
                        "rollup_offender_counts",
                        "stored_batches",
                        "dashboard_rules",
                        "dashboard_rule_changes",
                        "rollup_upstream",
                        "rollup_blocked_values",
                        "rollup_value_overflow",
                        "unfolded",
                        "quota_counts",
                        "offender_days",
                        "tollgate_schema_history");
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".events")).isEqualTo(1);
        assertThat(tables("public")).doesNotContain("events");
    }

    @Test
    void reopeningRunsNoMigrationAgainAndKeepsTheEvents() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore first = open(clock);
        await(first.append(List.of(blocked("k", "api", NOW.minusSeconds(5)), allowed("k", "", NOW))));
        await(first.close());
        List<String> history = rows("SELECT installed_rank, version, script, success FROM " + schema
                + ".tollgate_schema_history ORDER BY installed_rank");

        EventStore second = open(clock);
        EventStore third = open(clock);

        assertThat(await(second.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1));
        assertThat(await(third.events(EventQuery.all())).events()).hasSize(2);
        assertThat(history).contains("1|1|V1__events.sql|true|");
        assertThat(rows("SELECT installed_rank, version, script, success FROM " + schema
                        + ".tollgate_schema_history ORDER BY installed_rank"))
                .isEqualTo(history);
    }

    @Test
    void dashboardRulesAndTheirChangesSurviveAReopenAndAreSharedBetweenNodes() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore first = open(clock);
        JsonObject api = new JsonObject()
                .put("name", "api")
                .put("path", "/api/*")
                .put("limit", 5)
                .put("window", "1m");
        await(first.saveRule("api", api, 0, "alice", "create", NOW));
        await(first.saveRule("api", api.copy().put("limit", 7), 1, "bob", "update", NOW.plusSeconds(1)));
        await(first.close());

        EventStore second = open(clock);
        EventStore third = open(clock);

        StoredRule kept = new StoredRule("api", api.copy().put("limit", 7), 2, NOW.plusSeconds(1), "bob");
        assertThat(await(second.storedRules())).containsExactly(kept);
        assertThat(await(third.ruleChanges(10)))
                .extracting(RuleChange::who, RuleChange::action)
                .containsExactly(tuple("bob", "update"), tuple("alice", "create"));
        await(second.saveRule("api", api, 2, "carol", "update", NOW));
        assertThat(failure(third.saveRule("api", api, 2, "dave", "update", NOW)))
                .as("one node's save is the other's conflict")
                .isInstanceOfSatisfying(
                        RuleConflictException.class,
                        conflict -> assertThat(conflict.actualVersion()).isEqualTo(3));
    }

    @Test
    void onlyTheNewestChangesAreKeptBeyondTheBound() {
        EventStore store = open(MutableClock.at(NOW));
        JsonObject config = new JsonObject().put("limit", 1);
        await(store.saveRule("api", config, 0, "alice", "create", NOW));
        // as if 10 000 changes had been recorded before: the next ones trim the oldest
        await(DATABASE.execute("INSERT INTO " + schema + ".dashboard_rule_changes (at_ms, who, action, rule_name)"
                + " SELECT 0, 'old', 'update', 'api' FROM generate_series(1, " + EventStore.MAX_RULE_CHANGES + ")"));
        await(store.saveRule("api", config, 1, "bob", "update", NOW));

        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".dashboard_rule_changes"))
                .isEqualTo(EventStore.MAX_RULE_CHANGES);
        List<RuleChange> changes = await(store.ruleChanges(EventStore.MAX_RULE_CHANGES));
        assertThat(changes).hasSize(EventStore.MAX_RULE_CHANGES);
        assertThat(changes.get(0).who()).isEqualTo("bob");
        assertThat(changes).extracting(RuleChange::who).doesNotContain("alice");
    }

    @Test
    void theSixthMigrationRelabelsShadowEventsAndRecountsTheRollupsOfTheirDays() {
        migrateTo("5");
        // as the store wrote them before: a would-be refusal of a shadow rule stored as refused, and an event that
        // only names a shadow rule that allowed it marked shadow
        List<RateLimitEvent> old = oldShadowEvents(new Random(15), 1500, Duration.ofDays(10));
        List<String> rows = new ArrayList<>();
        for (RateLimitEvent event : old) {
            rows.add("(" + event.timestamp().toEpochMilli() + ", '" + event.key() + "', '" + event.ruleName()
                    + "', '" + event.path() + "', 'GET', " + event.allowed() + ", " + event.count()
                    + ", 10, NULL, NULL, "
                    + event.shadow() + ")");
        }
        DATABASE.query("INSERT INTO " + schema + ".events (ts, key, rule_name, path, method, allowed, count, \"limit\","
                + " ip_address, user_id, shadow) VALUES " + String.join(", ", rows));
        countRollupsAsBeforeTheSixthMigration();
        long untouchedDay =
                StoreSql.DAY * Math.floorDiv(NOW.minus(Duration.ofDays(20)).toEpochMilli(), StoreSql.DAY);
        DATABASE.query("INSERT INTO " + schema + ".rollup_totals (width_ms, bucket_ms, shard, allowed, blocked, stamp)"
                + " VALUES (" + StoreSql.DAY + ", " + untouchedDay + ", 0, 0, 0, 0)");

        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);

        List<RateLimitEvent> relabelled = old.stream()
                .map(event -> !event.shadow()
                        ? event
                        : event.toBuilder()
                                .allowed(true)
                                .shadow(!event.allowed())
                                .build())
                .toList();
        assertThat(relabelled).filteredOn(RateLimitEvent::shadowBlocked).hasSizeGreaterThan(100);
        assertThat(relabelled).filteredOn(RateLimitEvent::blocked).hasSizeGreaterThan(100);
        ScanningEventStore reference = new ScanningEventStore(clock);
        await(reference.append(relabelled));
        assertThat(allEvents(store)).isEqualTo(allEvents(reference));
        assertSameAnswers(store, reference, "after the migration");
        assertRollupsEqualARecount(store);
        assertThat(DATABASE.count(
                        "SELECT count(*) FROM " + schema + ".rollup_totals WHERE bucket_ms = " + untouchedDay))
                .as("the rows of a day without a relabelled event stay")
                .isEqualTo(1);
        assertThat(rows("SELECT version, success FROM " + schema + ".tollgate_schema_history WHERE version = '6'"))
                .containsExactly("6|true|");
    }

    @Test
    void aSchemaThatAlreadyHoldsOtherTablesGetsTheStoreTablesBesideThem() {
        DATABASE.query("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".orders (id int)");

        EventStore store = open(MutableClock.at(NOW));

        await(store.append(List.of(blocked("k", "api", NOW))));
        assertThat(tables(schema)).contains("orders", "events", "tollgate_schema_history");
    }

    @Test
    void aSchemaWhoseTablesClashFailsTheOpeningNamingTheSchemaAndTheClash() {
        DATABASE.query("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".events (id int)");

        assertThat(failure(provider.create(vertx, section(config()), MutableClock.at(NOW))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("cannot migrate schema '" + schema + "'")
                .hasMessageContaining(DATABASE.url())
                .hasMessageNotContaining("check the 'url'");
    }

    @Test
    void aNulCharacterInAKeyDoesNotFailItsBatch() {
        EventStore store = open(MutableClock.at(NOW));

        await(store.append(List.of(blocked("user:a\u0000b", "api", NOW), allowed("k", "api", NOW))));

        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1));
        assertThat(await(store.offenderDetail("user:a\u0000b", 1, 5)).blocked()).isEqualTo(1);
        assertThat(await(store.events(EventQuery.builder().key("user:a\u0000b").build()))
                        .events())
                .extracting(RateLimitEvent::key)
                .containsExactly("user:a\uFFFDb");
    }

    // ---- batches with an id ----------------------------------------------------------------------

    @Test
    void aBatchIdIsKeptWithTheTimeItWasStoredAndItsNewestEvent() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);

        await(store.appendBatch(
                "spool-7:0",
                List.of(
                        blocked("k", "api", NOW.minusSeconds(9)),
                        allowed("k", "api", NOW.minusSeconds(3)),
                        allowed("k", "api", NOW.minusSeconds(5)))));
        await(store.appendBatch("empty", List.of()));

        assertThat(rows("SELECT batch_id, stored_ms, newest_event_ms FROM " + schema
                        + ".stored_batches ORDER BY batch_id"))
                .containsExactly(
                        "empty|" + NOW.toEpochMilli() + "|null|",
                        "spool-7:0|" + NOW.toEpochMilli() + "|"
                                + NOW.minusSeconds(3).toEpochMilli() + "|");
    }

    @Test
    void aBatchWhoseEventsCannotBeStoredLeavesNoIdBehindAndCanBeSentAgain() {
        EventStore store = open(MutableClock.at(NOW));
        DATABASE.query("CREATE FUNCTION " + schema + ".refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
                + " CREATE TRIGGER refuse BEFORE INSERT ON " + schema + ".events FOR EACH ROW"
                + " WHEN (NEW.key = 'poison') EXECUTE FUNCTION " + schema + ".refuse()");
        List<RateLimitEvent> batch = List.of(allowed("k", "api", NOW), blocked("poison", "api", NOW));

        assertThat(failure(store.appendBatch("b", batch)))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("refused");

        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".stored_batches"))
                .isZero();
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".events")).isZero();
        assertRollupsAreEmpty();
        DATABASE.query("DROP TRIGGER refuse ON " + schema + ".events");
        assertThat(await(store.appendBatch("b", batch))).isTrue();
        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1));
    }

    @Test
    void twoNodesSendingTheSameBatchesAtOnceStoreEachOnce() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore one = open(clock);
        EventStore other = open(clock);
        List<Future<Boolean>> calls = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            List<RateLimitEvent> events = randomEvents(new Random(batch), 50, Duration.ofHours(2));
            for (EventStore node : List.of(one, other, one, other)) {
                calls.add(node.appendBatch("batch-" + batch, events));
            }
        }
        await(Future.join(calls));

        for (int batch = 0; batch < 40; batch++) {
            assertThat(calls.subList(batch * 4, batch * 4 + 4))
                    .as("batch-%d", batch)
                    .filteredOn(call -> call.succeeded() && call.result())
                    .hasSize(1);
        }
        assertThat(calls).allMatch(Future::succeeded);
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".events")).isEqualTo(40 * 50);
        assertRollupsEqualARecount(one);
    }

    // ---- the rollups stay exact ------------------------------------------------------------------

    @Test
    void answersMatchTheReferenceStoreWhereverTheWindowCutsAMinuteOrAnHour() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);
        ScanningEventStore reference = new ScanningEventStore(clock);
        List<RateLimitEvent> events = randomEvents(new Random(42), 3000, Duration.ofDays(10));
        for (int from = 0; from < events.size(); from += 700) {
            List<RateLimitEvent> batch = events.subList(from, Math.min(events.size(), from + 700));
            await(store.append(batch));
            await(reference.append(batch));
        }

        Instant hour = NOW.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant day = NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        for (Instant now : List.of(
                NOW,
                hour,
                hour.plusMillis(1),
                hour.minusMillis(1),
                hour.plusSeconds(60),
                day,
                day.minusMillis(1),
                day.plusMillis(1),
                NOW.plus(Duration.ofDays(2)).minusMillis(123))) {
            clock.set(now);
            assertSameAnswers(store, reference, "now=" + now);
        }
        assertRollupsEqualARecount(store);
    }

    @Test
    void answersStayExactAtTheWindowBoundaryAfterDeletingOldEvents() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);
        ScanningEventStore reference = new ScanningEventStore(clock);
        Instant cutoff = NOW.minus(Duration.ofDays(30));
        List<RateLimitEvent> events = new ArrayList<>();
        for (long offset :
                new long[] {-3_600_001, -3_600_000, -60_001, -30_000, -1, 0, 1, 30_000, 60_000, 3_599_999, 3_600_000}) {
            Instant at = cutoff.plusMillis(offset);
            events.add(blocked("ip:" + Math.abs(offset % 3), "login", at));
            events.add(allowed("ip:" + Math.abs(offset % 2), "api", at));
            events.add(blocked("ip:9", "", at));
        }
        events.addAll(randomEvents(new Random(7), 500, Duration.ofDays(40)));
        await(store.append(events));
        await(reference.append(events));

        assertThat(await(store.deleteOlderThan(30, 7))).isEqualTo(await(reference.deleteOlderThan(30, 7)));

        assertRollupsEqualARecount(store);
        for (Duration step : List.of(
                Duration.ZERO,
                Duration.ofMillis(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(59),
                Duration.ofHours(1))) {
            clock.set(NOW.plus(step));
            assertSameAnswers(store, reference, "clock moved by " + step);
        }
    }

    @Test
    void blockedPathsAndUserAgentsSprayedByClientsFillABucketToItsBoundAndTheRankingsStayExact() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);
        ScanningEventStore reference = new ScanningEventStore(clock);
        Instant hourAgo = NOW.minus(Duration.ofHours(3));
        for (int batch = 0; batch < 3; batch++) {
            List<RateLimitEvent> events = new ArrayList<>();
            for (int i = 0; i < 700; i++) {
                events.add(blocked("ip:" + i % 7, "login", hourAgo.plusMillis(batch * 700L + i)).toBuilder()
                        .path("/spray/" + batch + "/" + i)
                        .userAgent("agent/" + batch + "/" + i)
                        .build());
                // a path and an agent that every batch repeats keep their rows
                events.add(blocked("ip:1", "login", hourAgo.plusMillis(i)).toBuilder()
                        .path("/login")
                        .userAgent("curl/8")
                        .build());
            }
            await(store.append(events));
            await(reference.append(events));
        }

        for (TimeRange range : List.of(TimeRange.HOURS_6, TimeRange.HOURS_24, TimeRange.DAYS_7)) {
            assertThat(await(store.topBlockedPaths(range, 1000)))
                    .as(range.name())
                    .isEqualTo(await(reference.topBlockedPaths(range, 1000)));
            assertThat(await(store.topBlockedUserAgents(range, 1000)))
                    .as(range.name())
                    .isEqualTo(await(reference.topBlockedUserAgents(range, 1000)));
        }
        await(((PostgresEventStore) store).folded());
        assertThat(DATABASE.count("SELECT max(n) FROM (SELECT count(*) AS n FROM " + schema
                        + ".rollup_blocked_values GROUP BY kind, width_ms, bucket_ms) t"))
                .isEqualTo(PanelSql.VALUES_PER_BUCKET);
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".rollup_value_overflow"))
                .as("an hour and a day, of paths and of user agents")
                .isEqualTo(4);
        assertThat(DATABASE.count("SELECT blocked FROM " + schema + ".rollup_blocked_values WHERE kind = "
                        + PanelSql.PATHS + " AND width_ms = " + StoreSql.HOUR + " AND value = '/login'"))
                .isEqualTo(2100);
    }

    // ---- appends are folded into the rollups later ----------------------------------------------

    @Test
    void appendedEventsWaitForAFoldAndTheFirstQueryTakesThemIn() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        ScanningEventStore reference = new ScanningEventStore(clock);
        List<RateLimitEvent> first = randomEvents(new Random(1), 300, Duration.ofDays(3));
        List<RateLimitEvent> second = randomEvents(new Random(2), 300, Duration.ofDays(3));
        await(store.append(first));
        await(store.appendBatch("node-a-1", second));
        await(reference.append(first));
        await(reference.append(second));

        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .isEqualTo(2);
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".rollup_totals"))
                .as("appends leave the rollups alone")
                .isZero();
        assertThat(await(store.trafficSummary(7))).isEqualTo(await(reference.trafficSummary(7)));
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .isZero();
        assertRollupsEqualARecount(store);
        assertSameAnswers(store, reference, "after the fold");
    }

    @Test
    void appendsWaitForTheFoldsOnceAHundredThousandEventsWait() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 34_000; i++) {
            events.add(allowed("ip:" + i % 50, "api", NOW.minusMillis(i)));
        }
        for (int append = 1; append <= 3; append++) {
            await(store.append(events));
            assertThat(DATABASE.count("SELECT sum(events) FROM " + schema + ".unfolded"))
                    .as("waiting after append %d", append)
                    .isEqualTo(34_000L * append);
        }
        // 102,000 wait when the fourth append answers them: it folds them, its own batch too
        await(store.append(events));
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .isZero();
        assertThat(DATABASE.count(
                        "SELECT sum(allowed) FROM " + schema + ".rollup_totals WHERE width_ms = " + StoreSql.DAY))
                .isEqualTo(4 * 34_000L);
    }

    @Test
    void anAppendTakesItsIdsInBlocksSoThatEachListedBatchIsOneRangeOfItsOwnInTheInputsOrder() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 2 * StoreSql.ID_BLOCK + 500; i++) {
            // one timestamp for all: their order is the order of their ids
            events.add(allowed("ip:" + i, "api", NOW.minusSeconds(5)));
        }
        List<RateLimitEvent> small = randomEvents(new Random(4), 40, Duration.ofHours(1));
        await(Future.all(store.append(events), store.append(small), store.appendBatch("node-a-9", small)));

        assertThat(rows("SELECT events FROM " + schema + ".unfolded ORDER BY first_id"))
                .as("a row per block of the long append, one per short one")
                .containsExactlyInAnyOrder("1000|", "1000|", "500|", "40|", "40|");
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded u WHERE (SELECT count(*) FROM " + schema
                        + ".events e WHERE e.id BETWEEN u.first_id AND u.last_id) <> u.events"))
                .as("each listed range holds its own events and no other's")
                .isZero();
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".events"))
                .isEqualTo(events.size() + 2L * small.size());
        List<String> keysByIdOrder = rows("SELECT key FROM " + schema + ".events WHERE rule_name = 'api'" + " AND ts = "
                + NOW.minusSeconds(5).toEpochMilli() + " AND key LIKE 'ip:%' ORDER BY id");
        assertThat(keysByIdOrder)
                .containsExactlyElementsOf(
                        events.stream().map(e -> e.key() + "|").toList());

        ScanningEventStore reference = new ScanningEventStore(clock);
        await(reference.append(events));
        await(reference.append(small));
        await(reference.append(small));
        assertSameAnswers(store, reference, "after the appends in blocks");
        assertRollupsEqualARecount(store);
    }

    @Test
    void theTwelfthMigrationListsTheBatchesThatWaitedBeforeItEventByEvent() {
        migrateTo("11");
        // as the store left them before: two appends in flight together, their ids interleaved, listed by array
        List<RateLimitEvent> old = randomEvents(new Random(12), 600, Duration.ofDays(2));
        insertEvents(old);
        DATABASE.query("INSERT INTO " + schema + ".unfolded (events, first_id, last_id, ids)"
                + " SELECT count(*), min(id), max(id), array_agg(id ORDER BY id) FROM " + schema + ".events"
                + " GROUP BY id % 2");
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .isEqualTo(2);

        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .as("a row per event that waited")
                .isEqualTo(old.size());
        assertThat(DATABASE.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                        + "' AND table_name = 'unfolded' AND column_name = 'ids'"))
                .isZero();
        List<RateLimitEvent> later = randomEvents(new Random(13), 300, Duration.ofDays(2));
        await(store.append(later));
        assertThat(DATABASE.count("SELECT min(id) FROM " + schema + ".events WHERE id > (SELECT max(last_id) FROM "
                        + schema + ".unfolded WHERE events = 1)"))
                .as("the appends after it take ids beyond every listed one")
                .isPositive();

        ScanningEventStore reference = new ScanningEventStore(clock);
        await(reference.append(old));
        await(reference.append(later));
        assertThat(allEvents(store)).isEqualTo(allEvents(reference));
        assertSameAnswers(store, reference, "after the twelfth migration");
        assertRollupsEqualARecount(store);
        await(store.deleteOlderThan(1, 1000));
        await(reference.deleteOlderThan(1, 1000));
        assertSameAnswers(store, reference, "after a deletion");
        assertRollupsEqualARecount(store);
        assertThat(rows("SELECT version, success FROM " + schema + ".tollgate_schema_history WHERE version = '12'"))
                .containsExactly("12|true|");
    }

    @Test
    void offendersDayRowsHoldThePassedDaysOnlyAndMoveOnAsDaysPassWhileLateEventsAndDeletionsStayExact() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore one = open(clock, config().put("foldInterval", 0));
        EventStore other = open(clock, config().put("foldInterval", 0));
        ScanningEventStore reference = new ScanningEventStore(clock);
        List<RateLimitEvent> events = randomEvents(new Random(21), 1500, Duration.ofDays(4));
        await(one.append(events));
        await(reference.append(events));

        assertSameAnswers(one, reference, "the day rows reaching today");
        long today = PostgresEventStore.floor(NOW.toEpochMilli() - StoreSql.MINUTE, StoreSql.DAY);
        // the queries started the move, without waiting for it
        Await.until(
                () -> DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days") == today,
                "the day rows to reach today");
        await(((PostgresEventStore) one).offenderDaysReached());
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".rollup_offender_counts WHERE width_ms = "
                        + StoreSql.DAY + " AND bucket_ms >= " + today))
                .as("today's offenders only in hour rows")
                .isZero();
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".rollup_offender_counts WHERE width_ms = "
                        + StoreSql.DAY + " AND bucket_ms < " + today))
                .as("the passed days' day rows")
                .isPositive();
        assertRollupsEqualARecount(one);

        // late events, through the other node: into days the day rows already hold, and into today
        List<RateLimitEvent> late = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            late.add(blocked(
                    "ip:" + i % 4,
                    "login",
                    NOW.minus(Duration.ofDays(1 + i % 3)).minusSeconds(i)));
            late.add(blocked("user:late", "api", NOW.minusSeconds(i)));
            late.add(allowed("ip:9", "trial", NOW.minus(Duration.ofDays(2)).plusSeconds(i)).toBuilder()
                    .shadow(true)
                    .build());
        }
        await(other.append(late));
        await(reference.append(late));
        assertSameAnswers(one, reference, "after late events");
        assertSameAnswers(other, reference, "after late events, on the node that appended them");
        assertRollupsEqualARecount(other);

        // a day passes: one node moves the day rows on, the other learns it when it folds
        clock.set(NOW.plus(Duration.ofDays(1)));
        assertSameAnswers(other, reference, "a day later");
        Await.until(
                () -> DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days") == today + StoreSql.DAY,
                "the day rows to reach the day that passed");
        assertSameAnswers(one, reference, "a day later, on the other node");
        assertRollupsEqualARecount(one);

        // old events go, from day rows and hour rows alike
        clock.set(NOW.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(1)));
        assertThat(await(one.deleteOlderThan(4, 10_000))).isEqualTo(await(reference.deleteOlderThan(4, 10_000)));
        assertSameAnswers(other, reference, "after a deletion");
        assertRollupsEqualARecount(other);
        assertThat(DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days"))
                .as("a day row is added up once its day has passed")
                .isEqualTo(today + 3 * StoreSql.DAY);

        // events stamped ahead of the clock, in a day the day rows do not reach: counted from its hour rows
        Instant midnight = Instant.ofEpochMilli(today + 4 * StoreSql.DAY);
        clock.set(midnight.minusSeconds(30));
        List<RateLimitEvent> ahead = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ahead.add(blocked("ip:ahead", "login", midnight.plusSeconds(i)));
            ahead.add(allowed("ip:ahead", "trial", midnight.plusSeconds(i)).toBuilder()
                    .shadow(true)
                    .build());
        }
        await(one.append(ahead));
        await(reference.append(ahead));
        for (TimeRange range : List.of(TimeRange.MINUTES_15, TimeRange.HOUR, TimeRange.HOURS_24)) {
            assertThat(await(other.topOffenders(range, 10)))
                    .as("stamped ahead, " + range.name())
                    .isEqualTo(await(reference.topOffenders(range, 10)))
                    .isNotEmpty();
            assertThat(await(other.topShadowOffenders(range, 10)))
                    .as("stamped ahead, " + range.name())
                    .isEqualTo(await(reference.topShadowOffenders(range, 10)))
                    .isNotEmpty();
        }
        assertRollupsEqualARecount(other);
    }

    @Test
    void aFailingMoveOfTheOffendersDayRowsIsLoggedOnceUntilOneSucceedsAndTheAnswersStayExact() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PostgresEventStore.class.getName());
        log.addHandler(capture);
        try {
            MutableClock clock = MutableClock.at(NOW);
            EventStore store = open(clock, config().put("foldInterval", 0));
            ScanningEventStore reference = new ScanningEventStore(clock);
            // events of the days before yesterday only, then an hour row that counts nothing and whose hour ends past
            // the largest bigint: a move that reaches it fails (the day rows stop short of today), folds never read it
            List<RateLimitEvent> events = randomEvents(new Random(31), 600, Duration.ofDays(2)).stream()
                    .map(e -> e.toBuilder()
                            .timestamp(e.timestamp().minus(Duration.ofDays(2)))
                            .build())
                    .toList();
            await(store.append(events));
            await(reference.append(events));
            String unmovable = "INSERT INTO " + schema + ".rollup_offender_counts (width_ms, bucket_ms, key, blocked,"
                    + " shadow_blocked) VALUES (" + StoreSql.HOUR + ", " + (Long.MAX_VALUE - 1000) + ", 'x', 0, 0)";
            DATABASE.query(unmovable);

            for (int i = 0; i < 5; i++) {
                assertSameAnswers(store, reference, "while the day rows cannot move, " + i);
            }
            assertThat(failure(((PostgresEventStore) store).offenderDaysReached()))
                    .hasMessageContaining("out of range");
            Await.until(() -> !warnings.isEmpty(), "the failed move to be logged");
            assertThat(warnings)
                    .as("logged once")
                    .hasSize(1)
                    .allMatch(line -> line.startsWith("could not add up the offenders' day rows in PostgreSQL at "))
                    .allMatch(line -> line.contains("bigint out of range"));
            long today = PostgresEventStore.floor(NOW.toEpochMilli() - StoreSql.MINUTE, StoreSql.DAY);
            assertThat(DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days"))
                    .as("the day rows stopped past the last hour that has rows")
                    .isLessThan(today)
                    .isGreaterThan(today - 2 * StoreSql.DAY);

            DATABASE.query("DELETE FROM " + schema + ".rollup_offender_counts WHERE key = 'x'");
            assertSameAnswers(store, reference, "once the day rows can move again");
            assertRollupsEqualARecount(store);
            assertThat(DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days"))
                    .isEqualTo(today);

            // a success in between: the next failure is logged again, once
            DATABASE.query(unmovable);
            clock.set(NOW.plus(Duration.ofDays(1)));
            for (int i = 0; i < 3; i++) {
                assertSameAnswers(store, reference, "a day later, the day rows stuck again, " + i);
            }
            Await.until(() -> warnings.size() == 2, "the second failure to be logged");
            assertThat(failure(((PostgresEventStore) store).offenderDaysReached()))
                    .hasMessageContaining("out of range");
            assertThat(warnings).hasSize(2);
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void theThirteenthMigrationLetsTheOffendersDayRowsReachPastTheLastOneCounted() {
        migrateTo("12");
        // as the store left them before: every event folded, the offenders' day rows with them
        List<RateLimitEvent> old = randomEvents(new Random(13), 900, Duration.ofDays(3));
        insertEvents(old);
        countRollupsAsBeforeTheThirteenthMigration();
        long lastDay = DATABASE.count(
                "SELECT max(bucket_ms) FROM " + schema + ".rollup_offenders WHERE width_ms = " + StoreSql.DAY);

        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        assertThat(DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days"))
                .isEqualTo(lastDay + StoreSql.DAY);
        List<RateLimitEvent> later = randomEvents(new Random(14), 300, Duration.ofDays(2));
        await(store.append(later));
        ScanningEventStore reference = new ScanningEventStore(clock);
        await(reference.append(old));
        await(reference.append(later));
        assertSameAnswers(store, reference, "after the thirteenth migration");
        assertRollupsEqualARecount(store);

        clock.set(NOW.plus(Duration.ofDays(2)));
        assertSameAnswers(store, reference, "two days after it");
        assertRollupsEqualARecount(store);
        assertThat(DATABASE.count("SELECT days_before_ms FROM " + schema + ".offender_days"))
                .isEqualTo(PostgresEventStore.floor(NOW.plus(Duration.ofDays(2)).toEpochMilli(), StoreSql.DAY));
    }

    @Test
    void aDeletionTakesAwayFromTheRollupsOnlyTheEventsAlreadyFoldedIntoThem() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock, config().put("foldInterval", 0));
        ScanningEventStore reference = new ScanningEventStore(clock);
        Instant old = NOW.minus(Duration.ofDays(40));
        List<RateLimitEvent> folded = new ArrayList<>();
        List<RateLimitEvent> waiting = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            folded.add(blocked("ip:" + i % 5, "login", old.plusSeconds(i)).toBuilder()
                    .path("/old/" + i)
                    .build());
            folded.add(allowed("ip:7", "api", NOW.minusSeconds(i)));
            folded.add(blocked("ip:8", "login", NOW.minusSeconds(i)));
            // late events, older than the cut-off, still waiting for a fold when the deletion comes
            waiting.add(blocked("ip:" + i % 3, "login", old.plusSeconds(i).plusMillis(500)).toBuilder()
                    .path("/late/" + i)
                    .build());
        }
        await(store.append(folded));
        await(reference.append(folded));
        assertThat(await(store.trafficSummary(7))).isEqualTo(await(reference.trafficSummary(7)));
        await(store.append(waiting));
        await(reference.append(waiting));
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .isEqualTo(1);

        assertThat(await(store.deleteOlderThan(30, 64))).isEqualTo(await(reference.deleteOlderThan(30, 64)));

        assertRollupsEqualARecount(store);
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".unfolded"))
                .as("the fold found the waiting batch's events gone")
                .isZero();
        assertSameAnswers(store, reference, "after the deletion");
    }

    @Test
    void nodesFoldingAtOnceEachOthersAppendsKeepTheRollupsExactAndTheValuesBounded() {
        MutableClock clock = MutableClock.at(NOW);
        // one node folds only before its queries, the other every 10 ms as well
        EventStore quiet = open(clock, config().put("foldInterval", 0));
        EventStore busy = open(clock, config().put("foldInterval", "10ms"));
        ScanningEventStore reference = new ScanningEventStore(clock);
        Instant hourAgo = NOW.minus(Duration.ofHours(1));
        List<Future<?>> work = new ArrayList<>();
        for (int batch = 0; batch < 8; batch++) {
            List<RateLimitEvent> events = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                // every batch sprays paths of its own into the same hour: the bucket overflows its bound
                events.add(blocked("ip:" + i % 9, "login", hourAgo.plusMillis(batch * 400L + i)).toBuilder()
                        .path("/spray/" + batch + "/" + i)
                        .build());
            }
            events.addAll(randomEvents(new Random(batch), 100, Duration.ofDays(2)));
            await(reference.append(events));
            EventStore node = batch % 2 == 0 ? quiet : busy;
            work.add(node.append(events));
            work.add((batch % 2 == 0 ? busy : quiet).trafficSummary(1));
        }
        await(Future.all(work));

        for (EventStore node : List.of(quiet, busy)) {
            assertSameAnswers(node, reference, "each node counts the other's appends");
            assertThat(await(node.topBlockedPaths(TimeRange.HOURS_6, 1000)))
                    .isEqualTo(await(reference.topBlockedPaths(TimeRange.HOURS_6, 1000)));
        }
        assertRollupsEqualARecount(quiet);
        assertThat(DATABASE.count("SELECT max(n) FROM (SELECT count(*) AS n FROM " + schema
                        + ".rollup_blocked_values GROUP BY kind, width_ms, bucket_ms) t"))
                .isEqualTo(PanelSql.VALUES_PER_BUCKET);
    }

    @Test
    void rollupsEqualARecountOfTheEventsAfterConcurrentAppendsAndDeletions() {
        MutableClock clock = MutableClock.at(NOW);
        EventStore store = open(clock);
        Random random = new Random(3);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            work.add(store.append(randomEvents(random, 250, Duration.ofDays(45))));
            // a query folds what was appended, each fold in a transaction (and shard) of its own
            work.add(store.trafficSummary(45));
            if (i % 4 == 3) {
                work.add(store.deleteOlderThan(30, 50));
            }
        }
        await(Future.all(work));
        await(store.deleteOlderThan(30, 50));

        assertRollupsEqualARecount(store);
        long cutoff = NOW.minus(Duration.ofDays(30)).toEpochMilli();
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".events WHERE ts < " + cutoff))
                .isZero();
        assertThat(DATABASE.count("SELECT count(*) FROM " + schema + ".rollup_totals WHERE shard <> 0"))
                .isPositive();
        assertThat(DATABASE.count(
                        "SELECT (SELECT count(*) FROM " + schema + ".rollup_totals WHERE bucket_ms < " + cutoff
                                + " AND shard <> 0) + (SELECT count(*) FROM " + schema
                                + ".rollup_rules WHERE bucket_ms < " + cutoff
                                + " AND shard <> 0)"))
                .as("shards of deleted buckets left unsettled")
                .isZero();
    }

    // ---- the server goes away --------------------------------------------------------------------

    @Test
    void appendFailsWhileTheServerIsGoneAndSucceedsOnceItIsBack() {
        TcpProxy proxy = TcpProxy.to(vertx, TestDatabase.HOST, TestDatabase.PORT);
        await(proxy.start());
        EventStore store = open(MutableClock.at(NOW), config().put("url", DATABASE.url(proxy.port())));
        await(store.append(List.of(allowed("k", "api", NOW))));

        await(proxy.stop());

        assertThat(failure(store.append(List.of(allowed("k", "api", NOW)))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("could not append events")
                .hasMessageContaining("127.0.0.1:" + proxy.port());
        assertThat(failure(store.trafficSummary(1))).isInstanceOf(EventStoreException.class);

        await(proxy.start());

        await(store.append(List.of(blocked("k", "api", NOW))));
        assertThat(await(store.trafficSummary(1))).isEqualTo(TrafficSummary.of(1, 1, 1));
        await(proxy.stop());
    }

    @Test
    void appendFailsRatherThanHangsWhenTheServerAcceptsButNeverAnswers() {
        EventStore store = open(MutableClock.at(NOW));
        TcpProxy silent = TcpProxy.silent(vertx);
        await(silent.start());
        try {
            JsonObject config = config().put("url", DATABASE.url(silent.port())).put("connectTimeout", "300ms");

            assertThat(failure(provider.create(vertx, section(config), MutableClock.at(NOW))))
                    .isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.port());
        } finally {
            await(silent.stop());
        }
        await(store.append(List.of(allowed("k", "api", NOW))));
    }

    @Test
    void aClosedStoreFailsAppendsAtOnce() {
        EventStore store = open(MutableClock.at(NOW));
        await(store.close());

        assertThat(failure(store.append(List.of(allowed("k", "api", NOW)))))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("closed");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private JsonObject config() {
        return new JsonObject()
                .put("url", DATABASE.url())
                .put("schema", schema)
                .put("poolSize", 2)
                .put("connectTimeout", "30s");
    }

    // ---- rolling quota counts -------------------------------------------------------------------

    @Test
    void twoNodesTakingARollingQuotaAtOnceNeverPassItsLimit() {
        EventStore one = open(MutableClock.at(NOW));
        EventStore two = open(MutableClock.at(NOW));
        long day = 86_400;
        long today = 20_000 * day;
        await(one.takeQuotaDays("race|7d rolling|UTC", "k", today - 6 * day, today - 3 * day, today + 4 * day, 5, 15));
        List<Future<QuotaDays>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            EventStore node = i % 2 == 0 ? one : two;
            answers.add(node.takeQuotaDays("race|7d rolling|UTC", "k", today - 6 * day, today, today + 7 * day, 1, 15));
        }
        await(Future.join(answers).transform(all -> Future.succeededFuture()));
        assertThat(answers.stream().filter(answer -> await(answer).taken())).hasSize(10);
        assertThat(await(two.quotaDays("race|7d rolling|UTC", "k", today - 6 * day)))
                .containsExactly(Map.entry(today - 3 * day, 5L), Map.entry(today, 10L));
        assertThat(await(two.quotaDays("race|7d rolling|UTC", "k", today - 2 * day)))
                .as("a window without the older day")
                .containsExactly(Map.entry(today, 10L));

        assertThat(failure(one.takeQuotaDays("race|7d rolling|UTC", "k", today, today, today + day, 16, 15)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(one.takeQuotaDays("", "k", today, today, today + day, 1, 15)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(one.quotaDays("q", "k".repeat(EventStore.MAX_QUOTA_TEXT + 1), today)))
                .isInstanceOf(IllegalArgumentException.class);
        await(one.forgetQuotaDays("race|7d rolling|UTC", "k"));
        assertThat(await(two.quotaDays("race|7d rolling|UTC", "k", 0))).isEmpty();
    }

    private EventStore open(MutableClock clock) {
        return open(clock, config());
    }

    private static Settings section(JsonObject config) {
        return Settings.of("events.postgres", config);
    }

    private EventStore open(MutableClock clock, JsonObject config) {
        EventStore store = await(provider.create(vertx, section(config), clock));
        opened.add(store);
        return store;
    }

    private List<String> tables(String inSchema) {
        return DATABASE
                .query("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + inSchema + "'")
                .stream()
                .map(row -> row.getString(0))
                .toList();
    }

    private void assertSameAnswers(EventStore store, EventStore reference, String when) {
        for (int days : new int[] {1, 2, 3, 7, 10, 31, 45}) {
            String at = when + ", days=" + days;
            assertThat(await(store.trafficSummary(days))).as(at).isEqualTo(await(reference.trafficSummary(days)));
            assertThat(await(store.topOffenders(days, 4))).as(at).isEqualTo(await(reference.topOffenders(days, 4)));
            assertThat(await(store.topOffenders(days, 100))).as(at).isEqualTo(await(reference.topOffenders(days, 100)));
            assertThat(await(store.topShadowOffenders(days, 4)))
                    .as(at)
                    .isEqualTo(await(reference.topShadowOffenders(days, 4)));
            assertThat(await(store.topShadowOffenders(days, 100)))
                    .as(at)
                    .isEqualTo(await(reference.topShadowOffenders(days, 100)));
            assertThat(await(store.ruleHitCounts(days, 100)))
                    .as(at)
                    .isEqualTo(await(reference.ruleHitCounts(days, 100)));
            for (int buckets : new int[] {1, 7, 24, 37, 1440}) {
                assertThat(await(store.timeSeries(days, buckets)))
                        .as(at + ", buckets=" + buckets)
                        .isEqualTo(await(reference.timeSeries(days, buckets)));
            }
            for (String key : List.of("ip:0", "ip:1", "ip:2", "ip:9", "user:7")) {
                assertThat(await(store.offenderDetail(key, days, 5)))
                        .as(at + ", key=" + key)
                        .isEqualTo(await(reference.offenderDetail(key, days, 5)));
            }
        }
    }

    /**
     * Every rollup bucket, at every width, its shards added up, equals a GROUP BY over the events once {@code store}
     * has folded every appended batch into them and moved the offenders' day rows on as far as they are due; no bucket
     * counts below zero.
     */
    private void assertRollupsEqualARecount(EventStore store) {
        await(((PostgresEventStore) store).folded());
        await(((PostgresEventStore) store).offenderDaysReached());
        for (long width : StoreSql.TOTAL_WIDTHS) {
            String bucket = StoreSql.floor("ts", Long.toString(width));
            assertSameRows(
                    "SELECT bucket_ms, sum(allowed), sum(blocked), sum(shadow_blocked) FROM " + schema
                            + ".rollup_totals WHERE width_ms = " + width
                            + " GROUP BY bucket_ms HAVING sum(allowed) <> 0"
                            + " OR sum(blocked) <> 0 OR sum(shadow_blocked) <> 0",
                    "SELECT " + bucket + ", count(*) FILTER (WHERE allowed AND NOT shadow), count(*) FILTER (WHERE NOT"
                            + " allowed), count(*) FILTER (WHERE allowed AND shadow) FROM " + schema
                            + ".events GROUP BY 1");
        }
        for (long width : StoreSql.RULE_WIDTHS) {
            String bucket = StoreSql.floor("ts", Long.toString(width));
            assertSameRows(
                    "SELECT bucket_ms, rule_name, sum(hits), sum(blocked), sum(shadow_blocked) FROM " + schema
                            + ".rollup_rules WHERE width_ms = " + width + " GROUP BY bucket_ms, rule_name"
                            + " HAVING sum(hits) <> 0 OR sum(blocked) <> 0 OR sum(shadow_blocked) <> 0",
                    "SELECT " + bucket + ", rule_name, count(*), count(*) FILTER (WHERE NOT allowed),"
                            + " count(*) FILTER (WHERE allowed AND shadow) FROM " + schema
                            + ".events WHERE rule_name <> '' GROUP BY 1, 2");
        }
        for (long width : StoreSql.OFFENDER_WIDTHS) {
            // the day rows hold the events stamped before their reach, the hour rows every event
            String bucket = StoreSql.floor("ts", Long.toString(width));
            String reached =
                    width == StoreSql.DAY ? " AND ts < (SELECT days_before_ms FROM " + schema + ".offender_days)" : "";
            assertThat(rows("SELECT bucket_ms, key, blocked, shadow_blocked FROM " + schema + ".rollup_offender_counts"
                            + " WHERE width_ms = " + width + " AND (blocked <> 0 OR shadow_blocked <> 0)"))
                    .as("offenders at a width of " + width + " ms")
                    .containsExactlyInAnyOrderElementsOf(rows("SELECT " + bucket + ", key, count(*) FILTER (WHERE NOT"
                            + " allowed), count(*) FILTER (WHERE allowed AND shadow) FROM " + schema
                            + ".events WHERE (NOT allowed OR shadow)" + reached + " GROUP BY 1, 2"));
        }
        for (long width : PanelSql.UPSTREAM_WIDTHS) {
            String bucket = StoreSql.floor("ts", Long.toString(width));
            assertThat(rows("SELECT bucket_ms, status_class, latency_bucket, sum(served) FROM " + schema
                            + ".rollup_upstream WHERE width_ms = " + width
                            + " GROUP BY 1, 2, 3 HAVING sum(served) <> 0"))
                    .containsExactlyInAnyOrderElementsOf(rows("SELECT " + bucket + ", upstream_status / 100, "
                            + PanelSql.latencyBucket("upstream_latency_us") + ", count(*) FROM " + schema
                            + ".events WHERE allowed AND upstream_status IS NOT NULL GROUP BY 1, 2, 3"));
        }
        for (long width : PanelSql.VALUE_WIDTHS) {
            // a bucket that overflowed its bound holds only some of its values: the panels count it from the events
            String bucket = StoreSql.floor("ts", Long.toString(width));
            String keptRows = " AND width_ms = " + width + " AND blocked <> 0 AND NOT EXISTS (SELECT 1 FROM " + schema
                    + ".rollup_value_overflow o WHERE o.kind = v.kind AND o.width_ms = v.width_ms"
                    + " AND o.bucket_ms = v.bucket_ms)";
            String keptEvents =
                    " AND NOT EXISTS (SELECT 1 FROM " + schema + ".rollup_value_overflow o WHERE o.kind = KIND"
                            + " AND o.width_ms = " + width + " AND o.bucket_ms = " + bucket + ")";
            assertSameRows(
                    "SELECT bucket_ms, value, blocked FROM " + schema + ".rollup_blocked_values v WHERE kind = "
                            + PanelSql.PATHS + keptRows,
                    "SELECT " + bucket + ", path, count(*) FROM " + schema + ".events WHERE NOT allowed"
                            + keptEvents.replace("KIND", Integer.toString(PanelSql.PATHS)) + " GROUP BY 1, 2");
            assertThat(rows("SELECT bucket_ms, value, blocked FROM " + schema + ".rollup_blocked_values v WHERE kind = "
                            + PanelSql.USER_AGENTS + keptRows))
                    .containsExactlyInAnyOrderElementsOf(rows("SELECT " + bucket + ", user_agent, count(*) FROM "
                            + schema + ".events WHERE NOT allowed AND user_agent IS NOT NULL"
                            + keptEvents.replace("KIND", Integer.toString(PanelSql.USER_AGENTS)) + " GROUP BY 1, 2"));
        }
        assertThat(DATABASE.count("SELECT (SELECT count(*) FROM (SELECT 1 FROM " + schema + ".rollup_totals"
                        + " GROUP BY width_ms, bucket_ms HAVING sum(allowed) < 0 OR sum(blocked) < 0 OR sum(shadow_blocked) < 0) t)"
                        + " + (SELECT count(*) FROM (SELECT 1 FROM " + schema + ".rollup_rules"
                        + " GROUP BY width_ms, bucket_ms, rule_name HAVING sum(hits) < sum(blocked) + sum(shadow_blocked)"
                        + " OR sum(blocked) < 0 OR sum(shadow_blocked) < 0) r)"
                        + " + (SELECT count(*) FROM " + schema
                        + ".rollup_offender_counts WHERE blocked < 0 OR shadow_blocked < 0)"))
                .as("rollup buckets below zero")
                .isZero();
    }

    private void assertRollupsAreEmpty() {
        assertThat(DATABASE.count("SELECT (SELECT count(*) FROM " + schema + ".rollup_totals) + (SELECT count(*) FROM "
                        + schema + ".rollup_rules) + (SELECT count(*) FROM " + schema + ".rollup_offender_counts)"
                        + " + (SELECT count(*) FROM " + schema + ".rollup_upstream) + (SELECT count(*) FROM " + schema
                        + ".rollup_blocked_values) + (SELECT count(*) FROM " + schema + ".rollup_value_overflow)"))
                .isZero();
    }

    private void assertSameRows(String rollup, String recount) {
        assertThat(rows(rollup)).as(rollup).isNotEmpty().containsExactlyInAnyOrderElementsOf(rows(recount));
    }

    private List<String> rows(String statement) {
        List<String> rows = new ArrayList<>();
        for (Row row : DATABASE.query(statement)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                text.append(row.getValue(i)).append('|');
            }
            rows.add(text.toString());
        }
        return rows;
    }

    /**
     * {@code count} events at random milliseconds over {@code span} before {@link #NOW}, and a few after it,
     * over a handful of keys, rules (some none) and paths; a third blocked, a sixth shadow-blocked, a few refused with
     * the shadow flag set (blocked all the same).
     */
    private static List<RateLimitEvent> randomEvents(Random random, int count, Duration span) {
        List<RateLimitEvent> events = new ArrayList<>();
        List<String> keys = List.of("ip:0", "ip:1", "ip:2", "ip:9", "user:7", "user:8", "header:x-api-key:abc");
        List<String> rules = List.of("", "api", "login", "search", "Api");
        for (int i = 0; i < count; i++) {
            long age = i % 50 == 0 ? -random.nextInt(60_000) : (long) (random.nextDouble() * span.toMillis());
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minusMillis(age))
                    .key(keys.get(random.nextInt(keys.size())))
                    .ruleName(rules.get(random.nextInt(rules.size())))
                    .path("/p" + random.nextInt(30))
                    .method(random.nextBoolean() ? "GET" : "POST")
                    .allowed(random.nextInt(3) != 0)
                    .shadow(random.nextInt(4) == 0)
                    .count(random.nextInt(20))
                    .limit(10)
                    .build());
        }
        return events;
    }

    /**
     * Events as the store wrote them before the sixth migration: a third refused by a rule, a fifth refused by a
     * shadow rule only (stored {@code allowed = false, shadow = true}), a fifth allowed under a shadow rule (stored
     * {@code allowed = true, shadow = true}), the rest allowed; a few keys, rules and paths over {@code span}.
     */
    private static List<RateLimitEvent> oldShadowEvents(Random random, int count, Duration span) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(15);
            boolean shadowRule = kind >= 5 && kind < 11;
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minusMillis((long) (random.nextDouble() * span.toMillis())))
                    .key("ip:" + random.nextInt(6))
                    .ruleName(shadowRule ? "trial" : kind % 2 == 0 ? "api" : "")
                    .path("/p" + random.nextInt(5))
                    .method("GET")
                    .allowed(kind >= 8)
                    .shadow(shadowRule)
                    .count(random.nextInt(20))
                    .limit(10)
                    .build());
        }
        return events;
    }

    /** Every event of {@code store}, newest first. */
    private static List<RateLimitEvent> allEvents(EventStore store) {
        EventQuery query =
                EventQuery.builder().pageSize(EventQuery.MAX_PAGE_SIZE).build();
        List<RateLimitEvent> all = new ArrayList<>();
        var page = await(store.events(query));
        all.addAll(page.events());
        while (page.nextCursor().isPresent()) {
            page = await(store.events(query.after(page.nextCursor().get())));
            all.addAll(page.events());
        }
        return all;
    }

    /** Brings the test's schema to the layout of migration {@code version} and no further. */
    private void migrateTo(String version) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setServerNames(new String[] {TestDatabase.HOST});
        dataSource.setPortNumbers(new int[] {TestDatabase.PORT});
        dataSource.setDatabaseName(DATABASE.name());
        dataSource.setUser(TestDatabase.USER);
        org.flywaydb.core.Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(SchemaMigration.HISTORY_TABLE)
                .locations(SchemaMigration.LOCATION)
                .target(version)
                .load()
                .migrate();
    }

    /** Inserts {@code events} (no user agent, no upstream answer) as a store of an earlier migration would have. */
    private void insertEvents(List<RateLimitEvent> events) {
        List<String> values = new ArrayList<>();
        for (RateLimitEvent event : events) {
            values.add("(" + event.timestamp().toEpochMilli() + ", '" + event.key() + "', '" + event.ruleName()
                    + "', '" + event.path() + "', '" + event.method() + "', " + event.allowed() + ", "
                    + event.count() + ", " + event.limit() + ", NULL, NULL, " + event.shadow() + ")");
        }
        DATABASE.query("INSERT INTO " + schema + ".events (ts, key, rule_name, path, method, allowed, count, \"limit\","
                + " ip_address, user_id, shadow) VALUES " + String.join(", ", values));
    }

    /**
     * Fills the rollups of a schema at migration 12 from its events (no user agents, no upstream answers) as the store
     * counted them then: every width of every rollup, in shard 0.
     */
    private void countRollupsAsBeforeTheThirteenthMigration() {
        for (long width : StoreSql.TOTAL_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_totals (width_ms, bucket_ms, shard, allowed, blocked,"
                    + " shadow_blocked) SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width)) + ", 0,"
                    + " count(*) FILTER (WHERE allowed AND NOT shadow), count(*) FILTER (WHERE NOT allowed),"
                    + " count(*) FILTER (WHERE allowed AND shadow) FROM " + schema + ".events GROUP BY 2");
        }
        for (long width : StoreSql.RULE_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_rules (width_ms, bucket_ms, rule_name, shard, hits,"
                    + " blocked, shadow_blocked) SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width))
                    + ", rule_name, 0, count(*), count(*) FILTER (WHERE NOT allowed), count(*) FILTER (WHERE allowed"
                    + " AND shadow) FROM " + schema + ".events WHERE rule_name <> '' GROUP BY 2, 3");
        }
        for (long width : StoreSql.OFFENDER_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_offenders (width_ms, bucket_ms, key, blocked,"
                    + " shadow_blocked) SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width))
                    + ", key, count(*) FILTER (WHERE NOT allowed), count(*) FILTER (WHERE allowed AND shadow) FROM "
                    + schema + ".events WHERE NOT allowed OR shadow GROUP BY 2, 3");
        }
        for (long width : PanelSql.VALUE_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema
                    + ".rollup_blocked_values (kind, width_ms, bucket_ms, value, blocked)"
                    + " SELECT " + PanelSql.PATHS + ", " + width + ", " + StoreSql.floor("ts", Long.toString(width))
                    + ", path, count(*) FROM " + schema + ".events WHERE NOT allowed GROUP BY 3, 4");
        }
    }

    /** Fills the rollups of a schema at migration 5 from its events as the store counted them then. */
    private void countRollupsAsBeforeTheSixthMigration() {
        for (long width : StoreSql.TOTAL_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_totals (width_ms, bucket_ms, shard, allowed, blocked)"
                    + " SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width)) + ", 0,"
                    + " count(*) FILTER (WHERE allowed), count(*) FILTER (WHERE NOT allowed) FROM " + schema
                    + ".events GROUP BY 2");
        }
        for (long width : StoreSql.RULE_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_rules (width_ms, bucket_ms, rule_name, shard, hits,"
                    + " blocked) SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width)) + ", rule_name,"
                    + " 0, count(*), count(*) FILTER (WHERE NOT allowed) FROM " + schema + ".events"
                    + " WHERE rule_name <> '' GROUP BY 2, 3");
        }
        for (long width : StoreSql.OFFENDER_WIDTHS) {
            DATABASE.query("INSERT INTO " + schema + ".rollup_offenders (width_ms, bucket_ms, key, blocked)"
                    + " SELECT " + width + ", " + StoreSql.floor("ts", Long.toString(width)) + ", key, count(*) FROM "
                    + schema + ".events WHERE NOT allowed GROUP BY 2, 3");
        }
    }

    private static RateLimitEvent allowed(String key, String rule, Instant at) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .ruleName(rule)
                .path("/")
                .method("GET")
                .allowed(true)
                .count(1)
                .limit(10)
                .build();
    }

    private static RateLimitEvent blocked(String key, String rule, Instant at) {
        return allowed(key, rule, at).toBuilder().allowed(false).count(11).build();
    }
}
