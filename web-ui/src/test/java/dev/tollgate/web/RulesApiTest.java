package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.RequestInfo;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.core.Verdict;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST api/config/rules}, {@code GET/PUT/DELETE api/config/rules/{name}} over a real socket. */
class RulesApiTest {

    private static final Rule LOGIN = Rule.fromJson(new JsonObject("""
            {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 1, "window": "1h"}"""));

    @TempDir
    Path dir;

    private TestDashboard dashboard;

    private TestDashboard start(DashboardOptions options) {
        dashboard = TestDashboard.start(
                dir,
                List.of(),
                Tollgate.builder().rules(List.of(LOGIN)),
                options.withLoginLimit(TestDashboard.TEST_LOGIN_LIMIT),
                (router, tollgate) -> {});
        return dashboard;
    }

    private TestDashboard start() {
        return start(DashboardOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private HttpRequest<Buffer> asStaff(HttpMethod method, String path) {
        return TestDashboard.basic(
                dashboard.request(method, "/ratelimit/api/config/rules" + path),
                TestDashboard.STAFF,
                TestDashboard.STAFF_PASSWORD);
    }

    private HttpResponse<Buffer> create(JsonObject rule) {
        return await(asStaff(HttpMethod.POST, "").sendJsonObject(rule));
    }

    private static JsonObject api(long limit) {
        return new JsonObject("""
                {"name": "api", "path": "/api/*", "algorithm": "fixed-window", "window": "1h"}""").put("limit", limit);
    }

    private boolean allowed(String path) {
        return await(dashboard.tollgate.check(RequestInfo.of("GET", path, "203.0.113.5")))
                        .outcome()
                != Verdict.Outcome.LIMITED;
    }

    private JsonObject inForce(String name) {
        JsonArray rules =
                await(asStaff(HttpMethod.GET, "").send()).bodyAsJsonObject().getJsonArray("rules");
        return rules.stream()
                .map(JsonObject.class::cast)
                .filter(rule -> rule.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name + " in " + rules));
    }

    @Test
    void aCreatedRuleIsInForceWithItsVersionAsETagAndListedAsTheDashboards() {
        start();
        HttpResponse<Buffer> created = create(api(1));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(created.getHeader("Location")).isEqualTo("/ratelimit/api/config/rules/api");
        JsonObject body = created.bodyAsJsonObject();
        assertThat(body.getString("source")).isEqualTo("dashboard");
        assertThat(body.getLong("version")).isEqualTo(1);
        assertThat(body.getString("updated_by")).isEqualTo(TestDashboard.STAFF);

        assertThat(allowed("/api/x")).isTrue();
        assertThat(allowed("/api/x")).isFalse();
        assertThat(inForce("api").getString("source")).isEqualTo("dashboard");
        assertThat(inForce("api").getLong("version")).isEqualTo(1);
        assertThat(inForce("login").containsKey("version")).isFalse();

        HttpResponse<Buffer> read = await(asStaff(HttpMethod.GET, "/api").send());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(read.bodyAsJsonObject().getLong("limit")).isEqualTo(1);
        assertThat(await(asStaff(HttpMethod.GET, "/login").send()).getHeader("ETag"))
                .isNull();
        assertThat(await(asStaff(HttpMethod.GET, "/nosuch").send()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRuleTheLoaderRefusesIs400NamingTheFieldInTheLoadersWords() {
        start();
        JsonObject noWindow = api(1);
        noWindow.remove("window");
        HttpResponse<Buffer> refused = create(noWindow);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonObject body = refused.bodyAsJsonObject();
        assertThat(body.getString("field")).isEqualTo("window");
        try {
            Rule.fromJson(noWindow);
            throw new AssertionError("the loader took a rule without a window");
        } catch (SettingsException loader) {
            assertThat(body.getString("error")).isEqualTo(loader.getMessage());
            assertThat(body.getString("problem")).isEqualTo(loader.problem());
        }

        assertThat(create(api(1).put("burst", -3)).bodyAsJsonObject().getString("field"))
                .isEqualTo("burst");
        assertThat(create(api(1).put("algorithm", "nope")).bodyAsJsonObject().getString("field"))
                .isEqualTo("algorithm");
        assertThat(create(api(1).put("extra", true)).statusCode()).isEqualTo(400);
        assertThat(inForce("login")).isNotNull();
        assertThat(await(dashboard.store.storedRules())).isEmpty();
    }

    @Test
    void aConcurrencyRuleIsCreatedThroughTheApiAndHoldsRequestsInFlight() {
        start();
        JsonObject slots = new JsonObject("""
                {"name": "slots", "path": "/reports/*", "kind": "concurrency", "limit": 1, "status": 503}""");
        HttpResponse<Buffer> created = create(slots);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject listed = inForce("slots");
        assertThat(listed.getString("kind")).isEqualTo("concurrency");
        assertThat(listed.getString("slotTimeout")).isEqualTo("1m");
        assertThat(listed.getInteger("status")).isEqualTo(503);
        assertThat(listed.containsKey("window")).isFalse();

        RequestInfo request = RequestInfo.of("GET", "/reports/1", "203.0.113.5");
        Verdict first = await(dashboard.tollgate.check(request));
        assertThat(first.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        Verdict second = await(dashboard.tollgate.check(request));
        assertThat(second.outcome()).isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(second.status()).isEqualTo(503);
        first.release();
        Verdict third = await(dashboard.tollgate.check(request));
        assertThat(third.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        third.release();

        HttpResponse<Buffer> refused = create(new JsonObject("""
                {"name": "bad", "kind": "concurrency", "limit": 1, "window": "1m"}"""));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("window");
    }

    @Test
    void anAdaptiveRuleIsCreatedThroughTheApiAndItsLimitFollowsTheResponses() {
        start();
        HttpResponse<Buffer> created = create(new JsonObject("""
                {"name": "guard", "path": "/api/*", "kind": "adaptive", "algorithm": "aimd", "maxLimit": 50,
                 "initialLimit": 1, "latencyThreshold": "1s"}"""));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject listed = inForce("guard");
        assertThat(listed.getString("kind")).isEqualTo("adaptive");
        assertThat(listed.getString("algorithm")).isEqualTo("aimd");
        assertThat(listed.getString("key")).isEqualTo("global");
        assertThat(listed.getInteger("maxLimit")).isEqualTo(50);
        assertThat(listed.getString("latencyThreshold")).isEqualTo("1s");
        assertThat(listed.getInteger("status")).isEqualTo(503);
        assertThat(listed.containsKey("limit")).isFalse();

        RequestInfo request = RequestInfo.of("GET", "/api/1", "203.0.113.5");
        Verdict first = await(dashboard.tollgate.check(request));
        assertThat(first.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        Verdict second = await(dashboard.tollgate.check(request));
        assertThat(second.outcome()).isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(second.status()).isEqualTo(503);
        first.release(200);
        assertThat(dashboard.tollgate.adaptiveLimit("guard")).hasValue(2);

        HttpResponse<Buffer> refused = create(new JsonObject("""
                {"name": "bad", "kind": "adaptive", "algorithm": "gradient", "latencyThreshold": "1s"}"""));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("latencyThreshold");
    }

    @Test
    void aDelayingRuleIsCreatedThroughTheApiAndMakesRequestsOverItsRateWait() {
        start();
        JsonObject paced = new JsonObject("""
                {"name": "paced", "path": "/paced/*", "algorithm": "token-bucket", "limit": 1, "window": "10s",
                 "onExceed": "delay", "maxDelay": "10s"}""");
        HttpResponse<Buffer> created = create(paced);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject listed = inForce("paced");
        assertThat(listed.getString("onExceed")).isEqualTo("delay");
        assertThat(listed.getString("maxDelay")).isEqualTo("10s");
        assertThat(listed.getInteger("maxQueued")).isEqualTo(1000);

        RequestInfo request = RequestInfo.of("GET", "/paced/1", "203.0.113.5");
        Verdict first = await(dashboard.tollgate.check(request));
        assertThat(first.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        assertThat(first.waiting().isEmpty()).isTrue();
        Verdict second = await(dashboard.tollgate.check(request));
        assertThat(second.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        assertThat(second.waiting().delayNanos()).isPositive().isLessThanOrEqualTo(10_000_000_000L);
        Verdict third = await(dashboard.tollgate.check(request));
        assertThat(third.outcome()).as("due 20 s after the first").isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(second.waiting().cancel()).isTrue();

        HttpResponse<Buffer> refused = create(new JsonObject("""
                {"name": "windowed", "algorithm": "fixed-window", "limit": 1, "window": "1m",
                 "onExceed": "delay", "maxDelay": "1s"}"""));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("onExceed");
        assertThat(refused.bodyAsJsonObject().getString("problem")).contains("token-bucket, leaky-bucket or gcra");
    }

    @Test
    void hostileBodiesGetAClearAnswerAndChangeNothing() {
        start();
        assertThat(await(asStaff(HttpMethod.POST, "").sendBuffer(Buffer.buffer("{not json")))
                        .statusCode())
                .isEqualTo(400);
        assertThat(await(asStaff(HttpMethod.POST, "").sendBuffer(Buffer.buffer("[1, 2]")))
                        .bodyAsJsonObject()
                        .getString("error"))
                .contains("JSON object");
        assertThat(await(asStaff(HttpMethod.POST, "").send()).statusCode()).isEqualTo(400);
        HttpResponse<Buffer> huge = create(api(1).put("path", "/" + "a".repeat(20_000)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(create(api(1).put("name", "x".repeat(101)))
                        .bodyAsJsonObject()
                        .getString("field"))
                .isEqualTo("name");
        assertThat(create(api(1).put("name", "tab\there")).bodyAsJsonObject().getString("field"))
                .isEqualTo("name");
        assertThat(await(dashboard.store.storedRules())).isEmpty();
    }

    @Test
    void aChangeNeedsTheVersionReadAndAnOlderOneIsAConflict() {
        start();
        create(api(1));
        HttpResponse<Buffer> noVersion = await(asStaff(HttpMethod.PUT, "/api").sendJsonObject(api(3)));
        assertThat(noVersion.statusCode()).isEqualTo(428);
        assertThat(noVersion.bodyAsJsonObject().getString("error")).contains("If-Match");
        assertThat(await(asStaff(HttpMethod.PUT, "/api")
                                .putHeader("If-Match", "yesterday")
                                .sendJsonObject(api(3)))
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<Buffer> edited = await(
                asStaff(HttpMethod.PUT, "/api").putHeader("If-Match", "\"1\"").sendJsonObject(api(3)));
        assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
        assertThat(edited.getHeader("ETag")).isEqualTo("\"2\"");
        assertThat(inForce("api").getLong("limit")).isEqualTo(3);

        HttpResponse<Buffer> stale = await(
                asStaff(HttpMethod.PUT, "/api").putHeader("If-Match", "\"1\"").sendJsonObject(api(9)));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.bodyAsJsonObject().getLong("actual_version")).isEqualTo(2);
        assertThat(inForce("api").getLong("limit")).isEqualTo(3);

        assertThat(await(asStaff(HttpMethod.PUT, "/api")
                                .putHeader("If-Match", "\"2\"")
                                .sendJsonObject(api(3).put("name", "renamed")))
                        .bodyAsJsonObject()
                        .getString("field"))
                .isEqualTo("name");
        assertThat(create(api(5)).statusCode()).as("a second rule of the name").isEqualTo(409);
    }

    @Test
    void deletingTheDashboardsRulePutsTheFilesRuleOfItsNameBackInForce() {
        start();
        HttpResponse<Buffer> override = create(new JsonObject("""
                {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 5, "window": "1h"}"""));
        assertThat(override.statusCode()).isEqualTo(201);
        assertThat(inForce("login").getString("source")).isEqualTo("dashboard");

        assertThat(await(asStaff(HttpMethod.DELETE, "/login").send()).statusCode())
                .isEqualTo(428);
        assertThat(await(asStaff(HttpMethod.DELETE, "/login")
                                .putHeader("If-Match", "\"4\"")
                                .send())
                        .statusCode())
                .isEqualTo(409);
        HttpResponse<Buffer> deleted = await(asStaff(HttpMethod.DELETE, "/login")
                .putHeader("If-Match", "\"1\"")
                .send());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(inForce("login").getString("source")).isEqualTo("configuration");
        assertThat(inForce("login").getLong("limit")).isEqualTo(1);

        JsonArray audit = await(TestDashboard.basic(
                                dashboard.request(HttpMethod.GET, "/ratelimit/api/config/audit"),
                                TestDashboard.STAFF,
                                TestDashboard.STAFF_PASSWORD)
                        .send())
                .bodyAsJsonArray();
        assertThat(audit.stream().map(c -> ((JsonObject) c).getString("action")))
                .containsExactly("delete", "create");
    }

    @Test
    void aNameThatNeedsEncodingWorksThroughTheUrl() {
        start();
        String name = "team a/b 100% ü";
        assertThat(create(api(2).put("name", name)).statusCode()).isEqualTo(201);
        String encoded = "/" + Parameters.encode(name).replace("+", "%20");
        HttpResponse<Buffer> read = await(asStaff(HttpMethod.GET, encoded).send());
        assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo(name);
        assertThat(await(asStaff(HttpMethod.DELETE, encoded)
                                .putHeader("If-Match", "\"1\"")
                                .send())
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void aSignedInBrowserNeedsTheSessionsTokenAndBasicNeedsNone() {
        start();
        TestDashboard.SignIn session = dashboard.signedIn();
        HttpResponse<Buffer> forged = await(dashboard
                .request(HttpMethod.POST, "/ratelimit/api/config/rules")
                .putHeader("Cookie", session.cookie())
                .sendJsonObject(api(1)));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(await(dashboard.store.storedRules())).isEmpty();

        HttpResponse<Buffer> withToken = await(dashboard
                .request(HttpMethod.POST, "/ratelimit/api/config/rules")
                .putHeader("Cookie", session.cookie())
                .putHeader(StaffAccess.CSRF_HEADER, session.token())
                .sendJsonObject(api(1)));
        assertThat(withToken.statusCode()).isEqualTo(201);

        HttpResponse<Buffer> anonymous = await(dashboard
                .request(HttpMethod.POST, "/ratelimit/api/config/rules")
                .sendJsonObject(api(2)));
        assertThat(anonymous.statusCode()).isEqualTo(403);
        HttpResponse<Buffer> viewer = await(TestDashboard.basic(
                        dashboard.request(HttpMethod.DELETE, "/ratelimit/api/config/rules/api"),
                        TestDashboard.VIEWER,
                        TestDashboard.VIEWER_PASSWORD)
                .putHeader("If-Match", "\"1\"")
                .send());
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(inForce("api").getLong("version")).isEqualTo(1);
    }

    @Test
    void aReadOnlyDashboardShowsTheRulesAndRefusesEveryChange() {
        start(DashboardOptions.defaults().withRulesEditable(false));
        HttpResponse<Buffer> refused = create(api(1));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("error")).contains("dashboard.rulesEditable");
        assertThat(await(asStaff(HttpMethod.PUT, "/login")
                                .putHeader("If-Match", "\"1\"")
                                .sendJsonObject(api(1)))
                        .statusCode())
                .isEqualTo(403);
        assertThat(await(asStaff(HttpMethod.DELETE, "/login")
                                .putHeader("If-Match", "\"1\"")
                                .send())
                        .statusCode())
                .isEqualTo(403);
        assertThat(await(asStaff(HttpMethod.GET, "").send()).statusCode()).isEqualTo(200);
        assertThat(await(dashboard.store.storedRules())).isEmpty();
    }
}
