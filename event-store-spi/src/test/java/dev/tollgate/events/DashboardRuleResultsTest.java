package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DashboardRuleResultsTest {

    private static final Instant AT = Instant.parse("2026-03-15T12:34:56.789123Z");

    @Test
    void aStoredRuleKeepsACopyOfItsConfigAndHandsOutCopies() {
        JsonObject config = new JsonObject().put("limit", 5);
        StoredRule rule = new StoredRule("api", config, 1, AT, "alice");

        config.put("limit", 6);
        rule.config().put("limit", 7);

        assertThat(rule.config()).isEqualTo(new JsonObject().put("limit", 5));
        assertThat(rule.updatedAt()).isEqualTo(Instant.parse("2026-03-15T12:34:56.789Z"));
        assertThat(rule.toJson().encode())
                .isEqualTo("{\"name\":\"api\",\"config\":{\"limit\":5},\"version\":1,"
                        + "\"updated_at\":\"2026-03-15T12:34:56.789Z\",\"updated_by\":\"alice\"}");
        assertThatThrownBy(() -> new StoredRule("api", config, 0, AT, "alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Test
    void aRuleChangeHasTheReportShapeWithNullForTheMissingSide() {
        RuleChange creation = new RuleChange(1, AT, "alice", "create", "api", null, new JsonObject().put("limit", 5));

        assertThat(creation.toJson().encode())
                .isEqualTo("{\"id\":1,\"at\":\"2026-03-15T12:34:56.789Z\",\"who\":\"alice\",\"action\":\"create\","
                        + "\"rule_name\":\"api\",\"before\":null,\"after\":{\"limit\":5}}");
        creation.after().put("limit", 6);
        assertThat(creation.after()).isEqualTo(new JsonObject().put("limit", 5));
    }

    @Test
    void aConflictSaysWhatTheRuleIsAt() {
        assertThat(new RuleConflictException("api", 2, 3)).hasMessage("rule 'api' is at version 3, not 2");
        assertThat(new RuleConflictException("api", 0, 1)).hasMessage("rule 'api' exists already (version 1)");
        assertThat(new RuleConflictException("api", 2, 0)).hasMessage("rule 'api' does not exist");
        assertThat(new RuleConflictException("api", 2, 3)).isInstanceOf(EventStoreException.class);
    }

    @Test
    void aStoreWrittenBeforeDashboardRulesFailsTheirCallsInsteadOfThrowing() {
        InvocationHandler onlyDefaults = (proxy, method, args) ->
                method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
        EventStore old = (EventStore) Proxy.newProxyInstance(
                EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class}, onlyDefaults);

        assertThat(Await.failure(old.storedRules()))
                .isExactlyInstanceOf(EventStoreException.class)
                .hasMessageEndingWith(" keeps no dashboard rules");
        assertThat(Await.failure(old.saveRule("api", new JsonObject(), 0, "alice", "create", AT)))
                .isExactlyInstanceOf(EventStoreException.class);
        assertThat(Await.failure(old.deleteRule("api", 1, "alice", AT))).isExactlyInstanceOf(EventStoreException.class);
        assertThat(Await.failure(old.ruleChanges(10))).isExactlyInstanceOf(EventStoreException.class);
    }
}
