package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.RequestInfo;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET api/quotas?key=} and quota rules on the Rules page, over a real socket. */
class QuotaUsageApiTest {

    private static final Rule MONTHLY = Rule.fromJson(new JsonObject("""
            {"name": "monthly", "path": "/api/*", "kind": "quota", "limit": 1000, "period": "month",
             "zone": "Europe/Paris"}"""));
    private static final Rule RATE = Rule.fromJson(new JsonObject("""
            {"name": "rate", "path": "/api/*", "limit": 100, "window": "1m"}"""));

    @TempDir
    Path dir;

    private TestDashboard dashboard;
    private final ManualClock clock = ManualClock.at(Instant.parse("2027-03-15T12:00:00Z"));

    private void start() {
        start(List.of());
    }

    private void start(List<RateLimitEvent> events) {
        dashboard = TestDashboard.start(
                dir,
                events,
                Tollgate.builder()
                        .limiterOptions(LimiterOptions.defaults().withClock(clock))
                        .rules(List.of(MONTHLY, RATE)),
                DashboardOptions.defaults().withLoginLimit(TestDashboard.TEST_LOGIN_LIMIT),
                (router, tollgate) -> {});
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private HttpResponse<Buffer> quotas(String query) {
        return await(dashboard.asStaff("/ratelimit/api/quotas" + query).send());
    }

    @Test
    void givesTheKeysUseOfEveryQuotaRuleInTheCurrentPeriod() {
        start();
        for (int i = 0; i < 3; i++) {
            await(dashboard.tollgate.check(RequestInfo.of("GET", "/api/orders", "203.0.113.5")));
        }
        HttpResponse<Buffer> answer = quotas("?key=ip:203.0.113.5");
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        assertThat(answer.bodyAsJsonObject()).isEqualTo(new JsonObject("""
                        {"key": "ip:203.0.113.5", "quotas": [{"rule": "monthly", "period": "month",
                         "zone": "Europe/Paris", "used": 3, "limit": 1000, "remaining": 997,
                         "periodStart": "2027-02-28T23:00:00Z", "periodEnd": "2027-03-31T22:00:00Z",
                         "reset": 1806530400}]}"""));
        assertThat(quotas("?key=ip:203.0.113.5")
                        .bodyAsJsonObject()
                        .getJsonArray("quotas")
                        .getJsonObject(0)
                        .getLong("used"))
                .as("reading takes nothing")
                .isEqualTo(3);
        assertThat(quotas("?key=ip:198.51.100.1")
                        .bodyAsJsonObject()
                        .getJsonArray("quotas")
                        .getJsonObject(0)
                        .getLong("used"))
                .isZero();
    }

    @Test
    void aMissingOrOverlongKeyIsA400AndStrangersGetNothing() {
        start();
        HttpResponse<Buffer> missing = quotas("");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.bodyAsJsonObject().getString("error")).startsWith("missing ?key= parameter");
        HttpResponse<Buffer> tooLong = quotas("?key=" + "k".repeat(256));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.bodyAsJsonObject().getString("error")).contains("longer than 255 characters");
        assertThat(await(dashboard
                                .anonymous("/ratelimit/api/quotas?key=ip:203.0.113.5")
                                .send())
                        .statusCode())
                .isIn(401, 403);
        assertThat(await(TestDashboard.basic(
                                        dashboard.request(HttpMethod.GET, "/ratelimit/api/quotas?key=ip:203.0.113.5"),
                                        TestDashboard.VIEWER,
                                        TestDashboard.VIEWER_PASSWORD)
                                .send())
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void theRulesPageListsAQuotaByItsKindAndPeriodAndItsFormCreatesOne() {
        start();
        String page =
                await(dashboard.asStaff("/ratelimit/dashboard/rules/").send()).bodyAsString();
        assertThat(page).contains("<td>quota</td>").contains("1000 / month (Europe/Paris)");
        assertThat(page).contains("<option value=\"quota\"");
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("name", "exports")
                .add("kind", "quota")
                .add("path", "/exports/*")
                .add("methods", "")
                .add("key", "ip")
                .add("algorithm", Rule.DEFAULT_ALGORITHM)
                .add("limit", "50")
                .add("window", "")
                .add("burst", "")
                .add("cost", "")
                .add("slotTimeout", "")
                .add("status", "429")
                .add("period", "week")
                .add("zone", "")
                .add("costHeader", "X-Cost")
                .add("priority", "")
                .add("enabled", "true");
        TestDashboard.SignIn session = dashboard.signedIn();
        HttpResponse<Buffer> created = await(dashboard
                .request(HttpMethod.POST, "/ratelimit/dashboard/rules/")
                .putHeader("Cookie", session.cookie())
                .putHeader("HX-Request", "true")
                .sendForm(form.add("_csrf", session.token())));
        assertThat(created.bodyAsString())
                .contains("Saved 'exports' (version 1); it is in force.")
                .contains("50 / week");
        Optional<Rule> exports = dashboard.tollgate.rules().stream()
                .filter(r -> r.name().equals("exports"))
                .findFirst();
        assertThat(exports).hasValueSatisfying(rule -> {
            assertThat(rule.kind()).isEqualTo(Rule.Kind.QUOTA);
            assertThat(rule.costHeader()).contains("X-Cost");
            assertThat(rule.quotaPeriod().orElseThrow().id()).isEqualTo("week");
        });
    }

    @Test
    void theRuleHitsTellAQuotasRefusalsByItsKind() {
        RateLimitEvent refused = RateLimitEvent.builder()
                .timestamp(TestDashboard.NOW.minusSeconds(60))
                .key("ip:203.0.113.5")
                .ruleName("monthly")
                .path("/api/orders")
                .method("GET")
                .allowed(false)
                .count(1000)
                .limit(1000)
                .build();
        start(List.of(refused, refused.toBuilder().ruleName("rate").build()));
        String page = await(dashboard.asStaff("/ratelimit/dashboard/").send()).bodyAsString();
        assertThat(page).contains(">monthly</a> <span class=\"muted rule-kind\">quota</span></td>");
        assertThat(page).contains(">rate</a></td>");
    }
}
