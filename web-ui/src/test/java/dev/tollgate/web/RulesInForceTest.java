package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code api/config/rules} over a real socket: the rules in force, as configured, with their counts. */
class RulesInForceTest {

    /** The example log's rules, one of them a shadow rule; "api" is not in force, "quiet" has no events. */
    static final List<Rule> RULES = List.of(
            Rule.fromJson(new JsonObject("""
                    {"name": "login", "path": "/api/login", "methods": ["POST"], "key": "ip",
                     "algorithm": "sliding-window-log", "limit": 10, "window": "1m", "priority": 5}
                    """)), Rule.fromJson(new JsonObject("""
                    {"name": "export-trial", "path": "/api/export", "algorithm": "token-bucket", "limit": 2,
                     "window": "1h", "burst": 3, "shadow": true}
                    """)), Rule.fromJson(new JsonObject("""
                    {"name": "quiet", "path": "/quiet/*", "key": "header:X-API-Key", "limit": 1, "window": "1s",
                     "enabled": false}
                    """)));

    @TempDir
    static Path dir;

    private static TestDashboard dashboard;

    @BeforeAll
    static void start() {
        dashboard = TestDashboard.start(
                dir,
                TestDashboard.exampleLog(),
                Tollgate.builder().rules(RULES),
                DashboardOptions.defaults().withLoginLimit(TestDashboard.TEST_LOGIN_LIMIT),
                (router, tollgate) -> {});
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    private static JsonObject rules(String query) {
        HttpResponse<Buffer> response =
                await(dashboard.asStaff("/ratelimit/api/config/rules" + query).send());
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        return response.bodyAsJsonObject();
    }

    @Test
    void everyRuleInForceIsListedHighestPriorityFirstAsConfiguredWithItsCounts() {
        JsonObject answer = rules("?days=7");
        assertThat(answer.getInteger("days")).isEqualTo(7);
        JsonArray listed = answer.getJsonArray("rules");
        assertThat(listed.stream().map(r -> ((JsonObject) r).getString("name")))
                .containsExactly("login", "export-trial", "quiet");

        JsonObject login = listed.getJsonObject(0);
        assertThat(login.copy().put("hits", 0).put("blocked", 0))
                .isEqualTo(RULES.get(0)
                        .toJson()
                        .put("source", "configuration")
                        .put("hits", 0)
                        .put("blocked", 0)
                        .put("shadow_blocked", 0));
        // the example log: 12 logins five hours ago, the last 2 refused, and 3 refused 42 minutes ago
        assertThat(login.getLong("hits")).isEqualTo(15);
        assertThat(login.getLong("blocked")).isEqualTo(5);

        JsonObject trial = listed.getJsonObject(1);
        assertThat(trial.getBoolean("shadow")).isTrue();
        assertThat(trial.getInteger("burst")).isEqualTo(3);
        assertThat(trial.getLong("hits")).isEqualTo(4);
        assertThat(trial.getLong("blocked")).isZero();
        assertThat(trial.getLong("shadow_blocked")).isEqualTo(2);

        JsonObject quiet = listed.getJsonObject(2);
        assertThat(quiet.getBoolean("enabled")).isFalse();
        assertThat(quiet.getString("key")).isEqualTo("header:X-API-Key");
        assertThat(quiet.getLong("hits")).isZero();
    }

    @Test
    void theCountsFollowTheWindowAndARuleOutOfForceIsNotListed() {
        JsonObject lastDay = rules("?days=1");
        assertThat(lastDay.getInteger("days")).isEqualTo(1);
        JsonArray listed = lastDay.getJsonArray("rules");
        assertThat(listed.stream().map(r -> ((JsonObject) r).getString("name")))
                .doesNotContain("api")
                .hasSize(RULES.size());
        assertThat(listed.getJsonObject(0).getLong("hits")).isEqualTo(15);
        assertThat(rules("?days=nonsense").getInteger("days")).isEqualTo(7);
    }

    @Test
    void theAuditListsTheChangesOfTheDashboardsRulesNewestFirst() {
        JsonObject first = new JsonObject("{\"name\":\"audited\",\"path\":\"/a\",\"limit\":5,\"window\":\"1m\"}");
        JsonObject second = first.copy().put("limit", 7);
        await(dashboard.store.saveRule("audited", first, 0, "alice", "create", TestDashboard.NOW));
        await(dashboard.store.saveRule("audited", second, 1, "bob", "update", TestDashboard.NOW.plusSeconds(1)));

        HttpResponse<Buffer> response =
                await(dashboard.asStaff("/ratelimit/api/config/audit?limit=2").send());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray changes = response.bodyAsJsonArray();
        assertThat(changes).hasSize(2);
        JsonObject update = changes.getJsonObject(0);
        assertThat(update.getString("who")).isEqualTo("bob");
        assertThat(update.getString("action")).isEqualTo("update");
        assertThat(update.getString("rule_name")).isEqualTo("audited");
        assertThat(update.getJsonObject("before")).isEqualTo(first);
        assertThat(update.getJsonObject("after")).isEqualTo(second);
        assertThat(update.getString("at")).isEqualTo("2026-03-15T12:00:01.000Z");
        JsonObject creation = changes.getJsonObject(1);
        assertThat(creation.getString("who")).isEqualTo("alice");
        assertThat(creation.getValue("before")).isNull();
        // a limit that is no whole number in 1..1000 is clamped, never refused
        for (String limit : List.of("0", "-1", "many", "99999999999")) {
            HttpResponse<Buffer> clamped = await(dashboard
                    .asStaff("/ratelimit/api/config/audit?limit=" + limit)
                    .send());
            assertThat(clamped.statusCode()).as(limit).isEqualTo(200);
            assertThat(clamped.bodyAsJsonArray().size()).as(limit).isBetween(1, 20);
        }
        assertThat(await(dashboard.anonymous("/ratelimit/api/config/audit").send())
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void onlyStaffSeeTheRules() {
        assertThat(await(dashboard.anonymous("/ratelimit/api/config/rules").send())
                        .statusCode())
                .isEqualTo(403);
    }
}
