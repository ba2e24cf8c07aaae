package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.RuleChange;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.StoredRule;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules kept from the dashboard: checked like a file's, stored with versions, audited, in force on every node. */
class DashboardRulesTest {

    private final Vertx vertx = Vertx.vertx();
    private final MemoryEventStore store = MemoryEventStore.create(vertx, Clock.systemUTC());

    @AfterEach
    void close() {
        await(store.close());
        Await.close(vertx);
    }

    private static final Rule LOGIN = Rule.fromJson(new JsonObject("""
            {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 1, "window": "1h"}"""));

    private Tollgate node() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .store(store)
                .rules(List.of(LOGIN))
                .build();
        await(tollgate.deployServices());
        return tollgate;
    }

    private static boolean allowed(Tollgate tollgate, String path) {
        return await(tollgate.check(RequestInfo.of("GET", path, "203.0.113.5"))).outcome() != Verdict.Outcome.LIMITED;
    }

    private static JsonObject api(long limit) {
        return new JsonObject("""
                {"name": "api", "path": "/api/*", "algorithm": "fixed-window", "window": "1h"}""").put("limit", limit);
    }

    @Test
    void aCreatedRuleIsStoredAuditedAndInForceWhenTheCallCompletes() {
        Tollgate tollgate = node();
        StoredRule saved = await(tollgate.dashboardRules().create(api(1), "alice"));

        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.updatedBy()).isEqualTo("alice");
        assertThat(saved.config()).isEqualTo(Rule.fromJson(api(1)).toJson());
        assertThat(tollgate.ruleSource("api")).isEqualTo("dashboard");
        assertThat(allowed(tollgate, "/api/a")).isTrue();
        assertThat(allowed(tollgate, "/api/a")).isFalse();

        List<RuleChange> audit = await(store.ruleChanges(10));
        assertThat(audit).singleElement().satisfies(change -> {
            assertThat(change.action()).isEqualTo("create");
            assertThat(change.who()).isEqualTo("alice");
            assertThat(change.before()).isNull();
            assertThat(change.after()).isEqualTo(saved.config());
        });
    }

    @Test
    void aRuleTheLoaderWouldRefuseIsRefusedByFieldWithTheLoadersMessageAndNothingIsStored() {
        Tollgate tollgate = node();
        DashboardRules rules = tollgate.dashboardRules();

        SettingsException noLimit =
                (SettingsException) failure(rules.create(api(1).copy().putNull("limit"), "alice"));
        assertThat(noLimit.key()).isEqualTo("limit");
        assertThatSameAsLoader(api(1).copy().putNull("limit"), noLimit);

        SettingsException badWindow = (SettingsException) failure(rules.create(api(1).put("window", "soon"), "alice"));
        assertThat(badWindow.key()).isEqualTo("window");

        SettingsException algorithm =
                (SettingsException) failure(rules.create(api(1).put("algorithm", "no-such-thing"), "alice"));
        assertThat(algorithm.key()).isEqualTo("algorithm");
        assertThat(algorithm.problem()).contains("no-such-thing");

        SettingsException key = (SettingsException) failure(rules.create(api(1).put("key", "nosuch:x"), "alice"));
        assertThat(key.key()).isEqualTo("key");

        SettingsException unknown = (SettingsException) failure(rules.create(api(1).put("limt", 3), "alice"));
        assertThat(unknown.getMessage()).contains("limt");

        SettingsException longName =
                (SettingsException) failure(rules.create(api(1).put("name", "n".repeat(101)), "alice"));
        assertThat(longName.key()).isEqualTo("name");
        SettingsException control = (SettingsException) failure(rules.create(api(1).put("name", "a\nb"), "alice"));
        assertThat(control.key()).isEqualTo("name");

        assertThat(await(store.storedRules())).isEmpty();
        assertThat(await(store.ruleChanges(10))).isEmpty();
        assertThat(tollgate.rules()).extracting(Rule::name).containsExactly("login");
    }

    private static void assertThatSameAsLoader(JsonObject config, SettingsException refused) {
        try {
            Rule.fromJson(config);
        } catch (SettingsException loader) {
            assertThat(refused.getMessage()).isEqualTo(loader.getMessage());
            return;
        }
        throw new AssertionError("the loader took " + config);
    }

    @Test
    void anEditAtAnOldVersionIsAConflictAndChangesNothing() {
        Tollgate tollgate = node();
        DashboardRules rules = tollgate.dashboardRules();
        await(rules.create(api(1), "alice"));
        await(rules.update("api", api(5), 1, "bob"));

        RuleConflictException conflict = (RuleConflictException) failure(rules.update("api", api(9), 1, "alice"));
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(tollgate.rules())
                .filteredOn(r -> r.name().equals("api"))
                .singleElement()
                .satisfies(rule -> assertThat(rule.limit().limit()).isEqualTo(5));

        assertThat(failure(rules.create(api(3), "carol"))).isInstanceOf(RuleConflictException.class);
        assertThat(failure(rules.update("nosuch", api(3).put("name", "nosuch"), 1, "carol")))
                .isInstanceOf(RuleConflictException.class);
        assertThat(failure(rules.update("api", api(3).put("name", "other"), 2, "carol")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("keeps its name");
    }

    @Test
    void disablingAndEnablingAreAuditedAsSuchAndOtherEditsAsUpdates() {
        Tollgate tollgate = node();
        DashboardRules rules = tollgate.dashboardRules();
        await(rules.create(api(1), "alice"));
        await(rules.update("api", api(1).put("enabled", false), 1, "alice"));
        assertThat(allowed(tollgate, "/api/a")).isTrue();
        assertThat(allowed(tollgate, "/api/a")).as("disabled").isTrue();
        await(rules.update("api", api(1).put("enabled", true), 2, "alice"));
        await(rules.update("api", api(2), 3, "alice"));

        assertThat(await(store.ruleChanges(10)))
                .extracting(RuleChange::action)
                .containsExactly("update", "enable", "disable", "create");
    }

    @Test
    void aDashboardRuleOverridesTheFilesRuleOfItsNameUntilItIsDeleted() {
        Tollgate tollgate = node();
        DashboardRules rules = tollgate.dashboardRules();
        StoredRule wider = await(rules.create(new JsonObject("""
                {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 3, "window": "1h"}"""), "a"));
        assertThat(tollgate.ruleSource("login")).isEqualTo("dashboard");
        assertThat(List.of(allowed(tollgate, "/login"), allowed(tollgate, "/login"), allowed(tollgate, "/login")))
                .containsExactly(true, true, true);

        assertThat(failure(rules.delete("login", 7, "a"))).isInstanceOf(RuleConflictException.class);
        await(rules.delete("login", wider.version(), "a"));
        assertThat(tollgate.ruleSource("login")).isEqualTo("configuration");
        assertThat(tollgate.rules()).singleElement().isEqualTo(LOGIN);
        assertThat(await(store.ruleChanges(1))).singleElement().satisfies(change -> {
            assertThat(change.action()).isEqualTo("delete");
            assertThat(change.after()).isNull();
        });
    }

    @Test
    void everyNodeOnTheBusPutsAChangeInForceAndANewNodeStartsWithTheStoredRules() {
        Tollgate first = node();
        Tollgate second = node();
        await(first.dashboardRules().create(api(1), "alice"));
        Await.until(() -> second.ruleSource("api").equals("dashboard"), "the second node has the rule");

        await(first.dashboardRules().update("api", api(4), 1, "alice"));
        Await.until(
                () -> second.rules().stream()
                        .anyMatch(r -> r.name().equals("api") && r.limit().limit() == 4),
                "the second node has the edit");

        Tollgate restarted = node();
        assertThat(restarted.ruleSource("api")).isEqualTo("dashboard");
        assertThat(restarted.dashboardRules().loaded()).containsOnlyKeys("api");
    }

    @Test
    void aStoreThatCannotAnswerLeavesTheLoadedRulesInForceAndSaysWhy() {
        Tollgate tollgate = node();
        await(tollgate.dashboardRules().create(api(1), "alice"));
        await(store.close());

        Throwable failed = failure(tollgate.dashboardRules().reload());
        assertThat(failed).isInstanceOf(EventStoreException.class);
        assertThat(tollgate.dashboardRules().loadFailure()).isPresent();
        assertThat(tollgate.ruleSource("api")).isEqualTo("dashboard");
        assertThat(failure(tollgate.dashboardRules().create(api(2).put("name", "b"), "alice")))
                .isInstanceOf(EventStoreException.class);
    }

    @Test
    void withoutAStoreNoRuleCanBeKept() {
        Tollgate tollgate = Tollgate.builder().vertx(vertx).build();
        assertThat(failure(tollgate.dashboardRules().create(api(1), "alice")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("store.type");
    }
}
