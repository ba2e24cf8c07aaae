package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RuleChange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Rules page's forms, posted over a real socket as a signed-in browser posts them (htmx or not). */
class RulesPageTest {

    private static final Rule LOGIN = Rule.fromJson(new JsonObject("""
            {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 1, "window": "1h"}"""));

    @TempDir
    Path dir;

    private TestDashboard dashboard;
    private TestDashboard.SignIn session;

    private void start(DashboardOptions options) {
        dashboard = TestDashboard.start(
                dir,
                List.of(),
                Tollgate.builder().rules(List.of(LOGIN)),
                options.withLoginLimit(TestDashboard.TEST_LOGIN_LIMIT),
                (router, tollgate) -> {});
        session = dashboard.signedIn();
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private String page(String query) {
        HttpResponse<Buffer> page = await(dashboard
                .anonymous("/ratelimit/dashboard/rules/" + query)
                .putHeader("Cookie", session.cookie())
                .send());
        assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
        return page.bodyAsString();
    }

    private HttpResponse<Buffer> post(String path, MultiMap form, boolean htmx) {
        var request = dashboard
                .request(HttpMethod.POST, "/ratelimit/dashboard/rules/" + path)
                .putHeader("Cookie", session.cookie());
        if (htmx) {
            request.putHeader("HX-Request", "true");
        }
        return await(request.sendForm(form.add("_csrf", session.token())));
    }

    private static MultiMap rule(String name, String limit) {
        return MultiMap.caseInsensitiveMultiMap()
                .add("name", name)
                .add("path", "/api/*")
                .add("methods", "GET, post")
                .add("key", "ip")
                .add("algorithm", "fixed-window")
                .add("limit", limit)
                .add("window", "1m")
                .add("burst", "")
                .add("cost", "")
                .add("priority", "")
                .add("enabled", "true");
    }

    @Test
    void theFormCreatesARuleAndAProblemIsShownBesideItsField() {
        start(DashboardOptions.defaults());
        assertThat(page("")).contains("id=\"rule-form\"").contains("data-name=\"login\"");

        HttpResponse<Buffer> refused = post("", rule("api", "lots"), true);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.bodyAsString())
                .startsWith("<div id=\"rules-body\"")
                .contains("id=\"error-limit\">expected a whole number, got 'lots'</span>")
                .contains("value=\"lots\"");
        assertThat(post("", rule("api", "lots"), false).statusCode())
                .as("without htmx")
                .isEqualTo(400);
        assertThat(await(dashboard.store.storedRules())).isEmpty();

        String created = post("", rule("api", "2"), true).bodyAsString();
        assertThat(created)
                .contains("Saved 'api' (version 1); it is in force.")
                .contains("data-name=\"api\" data-source=\"dashboard\"");
        assertThat(dashboard.tollgate.ruleSource("api")).isEqualTo("dashboard");
        assertThat(dashboard.tollgate.rules().stream()
                        .filter(r -> r.name().equals("api"))
                        .findFirst()
                        .orElseThrow()
                        .methods())
                .containsExactlyInAnyOrder("GET", "POST");
    }

    @Test
    void theListShowsAnAdaptiveRuleWithItsBoundsAndTheLimitItHasReached() {
        start(DashboardOptions.defaults());
        dashboard.tollgate.updateRules(List.of(LOGIN, Rule.fromJson(new JsonObject("""
                {"name": "guard", "path": "/api/*", "kind": "adaptive", "algorithm": "gradient", "minLimit": 2,
                 "maxLimit": 40, "initialLimit": 7}"""))));
        assertThat(page("")).contains("adaptive gradient").contains("7 in flight (2..40)");
    }

    @Test
    void theFormCreatesAConcurrencyRuleAndTheListShowsItsKind() {
        start(DashboardOptions.defaults());
        assertThat(page("")).contains("<select name=\"kind\" id=\"field-kind\"");
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("name", "slots")
                .add("kind", "concurrency")
                .add("path", "/reports/*")
                .add("methods", "")
                .add("key", "global")
                // the algorithm the empty form starts with, left as it was
                .add("algorithm", Rule.DEFAULT_ALGORITHM)
                .add("limit", "4")
                .add("window", "")
                .add("burst", "")
                .add("cost", "")
                .add("slotTimeout", "2m")
                .add("status", "503")
                .add("priority", "")
                .add("enabled", "true");
        String created = post("", form, true).bodyAsString();
        assertThat(created)
                .contains("Saved 'slots' (version 1); it is in force.")
                .contains("4 in flight");
        Rule slots = dashboard.tollgate.rules().stream()
                .filter(r -> r.name().equals("slots"))
                .findFirst()
                .orElseThrow();
        assertThat(slots.kind()).isEqualTo(Rule.Kind.CONCURRENCY);
        assertThat(slots.status()).isEqualTo(503);
        assertThat(slots.key()).isEqualTo("global");

        MultiMap withWindow = MultiMap.caseInsensitiveMultiMap()
                .addAll(form)
                .set("name", "other")
                .set("window", "1m");
        assertThat(post("", withWindow, true).bodyAsString())
                .contains("id=\"error-window\">a concurrency rule counts requests in flight");
    }

    @Test
    void theFormCreatesAnAdaptiveRuleAndAsksForItsAlgorithmWhenLeftAsTheFormStarts() {
        start(DashboardOptions.defaults());
        assertThat(page("")).contains("<option value=\"adaptive\"").contains("id=\"field-latencyThreshold\"");
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("name", "guard")
                .add("kind", "adaptive")
                .add("path", "/api/*")
                .add("key", "global")
                // the algorithm the empty form starts with, left as it was
                .add("algorithm", Rule.DEFAULT_ALGORITHM)
                .add("minLimit", "2")
                .add("maxLimit", "40")
                .add("latencyThreshold", "250ms")
                .add("enabled", "true");
        assertThat(post("", form, true).bodyAsString())
                .contains("id=\"error-algorithm\">an adaptive rule needs an algorithm: aimd or gradient");
        assertThat(dashboard.tollgate.rules()).noneMatch(r -> r.name().equals("guard"));

        String created = post(
                        "", MultiMap.caseInsensitiveMultiMap().addAll(form).set("algorithm", "aimd"), true)
                .bodyAsString();
        assertThat(created)
                .contains("Saved 'guard' (version 1); it is in force.")
                .contains("in flight (2..40)");
        Rule guard = dashboard.tollgate.rules().stream()
                .filter(r -> r.name().equals("guard"))
                .findFirst()
                .orElseThrow();
        assertThat(guard.kind()).isEqualTo(Rule.Kind.ADAPTIVE);
        assertThat(guard.key()).isEqualTo("global");
        assertThat(guard.status()).as("an adaptive rule's default").isEqualTo(503);
    }

    @Test
    void editingDisablingAndDeletingAreAuditedAndAnOldFormIsAConflict() {
        start(DashboardOptions.defaults());
        post("", rule("api", "2"), true);
        String editForm = page("?edit=api");
        assertThat(editForm).contains("Edit api").contains("name=\"version\" value=\"1\"");

        String edited = post("api", rule("api", "7").add("version", "1"), true).bodyAsString();
        assertThat(edited).contains("(version 2)");
        String stale = post("api", rule("api", "9").add("version", "1"), true).bodyAsString();
        assertThat(stale).contains("Someone else changed 'api' since you read version 1");
        assertThat(dashboard.tollgate.rules().stream()
                        .filter(r -> r.name().equals("api"))
                        .findFirst()
                        .orElseThrow()
                        .limit()
                        .limit())
                .isEqualTo(7);

        String disabled = post(
                        "api/enabled",
                        MultiMap.caseInsensitiveMultiMap().add("version", "2").add("enabled", "false"),
                        true)
                .bodyAsString();
        assertThat(disabled).contains("Disabled 'api'");
        assertThat(post("api/delete", MultiMap.caseInsensitiveMultiMap().add("version", "3"), true)
                        .bodyAsString())
                .contains("Deleted 'api'.");

        assertThat(await(dashboard.store.ruleChanges(10)))
                .extracting(RuleChange::action)
                .containsExactly("delete", "disable", "update", "create");
        assertThat(page("")).contains("limit 2 → 7").contains("enabled true → false");
    }

    @Test
    void theFilesRuleCanBeOverriddenFromTheFormStartedWithItsSettings() {
        start(DashboardOptions.defaults());
        String form = page("?override=login");
        assertThat(form).contains("value=\"login\"").contains("value=\"/login\"");
        MultiMap override = rule("login", "3").set("path", "/login");
        assertThat(post("", override, true).bodyAsString()).contains("(overrides the file's)");
    }

    @Test
    void aHostileNameIsShownAsText() {
        start(DashboardOptions.defaults());
        post("", rule("<script>alert(1)</script>", "2"), true);
        assertThat(page(""))
                .doesNotContain("<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aFormWithoutTheSessionsTokenChangesNothing() {
        start(DashboardOptions.defaults());
        HttpResponse<Buffer> forged = await(dashboard
                .request(HttpMethod.POST, "/ratelimit/dashboard/rules/")
                .putHeader("Cookie", session.cookie())
                .sendForm(rule("api", "2")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(await(dashboard.store.storedRules())).isEmpty();
    }

    @Test
    void aReadOnlyPageHasNoFormsAndRefusesPosts() {
        start(DashboardOptions.defaults().withRulesEditable(false));
        String page = page("");
        assertThat(page)
                .contains("id=\"rules-read-only\"")
                .doesNotContain("id=\"rule-form\"")
                .contains("login");
        HttpResponse<Buffer> refused = post("", rule("api", "2"), false);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.bodyAsString()).contains("dashboard.rulesEditable: false");
        assertThat(await(dashboard.store.storedRules())).isEmpty();
    }
}
