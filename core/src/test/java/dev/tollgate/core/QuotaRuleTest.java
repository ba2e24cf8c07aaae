package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quota rules: read from configuration, and in the HTTP handler over a real socket, with the clock injected: the
 * {@code X-RateLimit-*} headers, the 429 until the period's end, a cost header and its 400, the usage view.
 */
class QuotaRuleTest {

    /** 2027-01-31T22:00:00Z, 23:00 on the 31st of January in Paris. */
    private static final Instant START = Instant.parse("2027-01-31T22:00:00Z");
    /** February's start in Paris. */
    private static final Instant FEBRUARY = Instant.parse("2027-01-31T23:00:00Z");

    private static final String CLIENT = "ip:127.0.0.1";

    private Vertx vertx;
    private WebClient client;
    private HttpServer server;
    private Tollgate tollgate;
    private final ManualClock clock = ManualClock.at(START);
    private final List<RateLimitEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()))
                .completion());
    }

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private void start(String... rules) {
        tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .rules(Arrays.stream(rules)
                        .map(r -> Rule.fromJson(new JsonObject(r)))
                        .toList())
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route().handler(ctx -> ctx.response().end("ok"));
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    }

    private HttpResponse<Buffer> get(String path, String... headers) {
        HttpRequest<Buffer> request = client.get(server.actualPort(), "127.0.0.1", path);
        for (int i = 0; i < headers.length; i += 2) {
            request.putHeader(headers[i], headers[i + 1]);
        }
        return await(request.send());
    }

    private static final String MONTHLY = "{\"name\":\"monthly\",\"path\":\"/api/*\",\"kind\":\"quota\",\"limit\":5,"
            + "\"period\":\"month\",\"zone\":\"Europe/Paris\",\"costHeader\":\"X-Cost\"}";

    @Test
    void readsAQuotaRuleAndWritesItBack() {
        Rule rule = Rule.fromJson(new JsonObject(MONTHLY));
        assertThat(rule.kind()).isEqualTo(Rule.Kind.QUOTA);
        assertThat(rule.isQuota()).isTrue();
        assertThat(rule.holdsSlots()).isFalse();
        assertThat(rule.limit().algorithm()).isEqualTo(QuotaLimiter.ALGORITHM);
        assertThat(rule.limit().limit()).isEqualTo(5);
        assertThat(rule.quotaPeriod()).contains(QuotaPeriod.parse("month", ZoneId.of("Europe/Paris")));
        assertThat(rule.costHeader()).contains("X-Cost");
        JsonObject written = rule.toJson();
        assertThat(written.getString("kind")).isEqualTo("quota");
        assertThat(written.getString("period")).isEqualTo("month");
        assertThat(written.getString("zone")).isEqualTo("Europe/Paris");
        assertThat(written.containsKey("algorithm")).isFalse();
        assertThat(written.containsKey("window")).isFalse();
        assertThat(Rule.fromJson(written)).isEqualTo(rule);

        Rule plain = Rule.fromJson(
                new JsonObject("{\"name\":\"q\",\"kind\":\"quota\",\"limit\":100,\"period\":\"30d\",\"cost\":2}"));
        assertThat(plain.quotaPeriod()).contains(QuotaPeriod.parse("30d", java.time.ZoneOffset.UTC));
        assertThat(plain.costHeader()).isEmpty();
        assertThat(plain.limit().cost()).isEqualTo(2);
        assertThat(plain.toJson().getString("zone")).isEqualTo("UTC");
        assertThat(Rule.fromJson(plain.toJson().put("zone", "Etc/UTC"))).isEqualTo(plain);
    }

    @Test
    void refusesWhatAQuotaRuleCannotTakeNamingTheField() {
        assertRefused("{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5}", "period: missing; a quota rule needs");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"fortnight\"}",
                "period: expected day, week, month, year or a number of days");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\",\"zone\":\"Mars/Olympus\"}",
                "zone: unknown time zone 'Mars/Olympus'");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\",\"window\":\"1d\"}",
                "window: a quota rule counts over calendar periods");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\",\"slotTimeout\":\"1s\"}",
                "slotTimeout: slotTimeout applies to concurrency rules only");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\",\"cost\":6}",
                "cost: cost 6 is more than the limit 5");
        assertRefused(
                "{\"name\":\"q\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\",\"costHeader\":\"X Cost\"}",
                "costHeader: expected a header name");
        assertRefused(
                "{\"name\":\"r\",\"limit\":5,\"window\":\"1m\",\"period\":\"day\"}",
                "period: period applies to quota rules only (kind: quota)");
        assertRefused(
                "{\"name\":\"r\",\"limit\":5,\"window\":\"1m\",\"algorithm\":\"quota\"}",
                "algorithm: quotas over calendar periods are a kind of rule: write kind: quota");
    }

    private static void assertRefused(String rule, String message) {
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(rule)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void countsToTheLimitThenRefusesUntilTheMonthEndsInTheZone() {
        start(MONTHLY);
        for (int i = 1; i <= 5; i++) {
            HttpResponse<Buffer> served = get("/api/orders");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.getHeader("X-RateLimit-Limit")).isEqualTo("5");
            assertThat(served.getHeader("X-RateLimit-Remaining")).isEqualTo(Integer.toString(5 - i));
            assertThat(served.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(FEBRUARY.getEpochSecond()));
        }
        HttpResponse<Buffer> refused = get("/api/orders", "Accept", "application/json");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("3600");
        assertThat(refused.bodyAsJsonObject())
                .isEqualTo(new JsonObject()
                        .put("error", "rate_limited")
                        .put("rule", "monthly")
                        .put("retryAfter", 3600));

        clock.set(FEBRUARY);
        HttpResponse<Buffer> february = get("/api/orders");
        assertThat(february.statusCode()).isEqualTo(200);
        assertThat(february.getHeader("X-RateLimit-Remaining")).isEqualTo("4");
        // February 2027 in Paris ends at 23:00 UTC on the 28th
        assertThat(february.getHeader("X-RateLimit-Reset"))
                .isEqualTo(Long.toString(Instant.parse("2027-02-28T23:00:00Z").getEpochSecond()));

        Await.until(() -> events.size() == 7, "seven events");
        RateLimitEvent blocked =
                events.stream().filter(e -> !e.allowed()).findFirst().orElseThrow();
        assertThat(blocked.ruleName()).isEqualTo("monthly");
        assertThat(blocked.count()).isEqualTo(5);
        assertThat(blocked.limit()).isEqualTo(5);
    }

    @Test
    void aRollingQuotaCountsTheLastDaysAndSaysWhenOldUseLeavesTheWindow() {
        start("{\"name\":\"rolling\",\"path\":\"/api/*\",\"kind\":\"quota\",\"limit\":3,\"period\":\"3d\","
                + "\"zone\":\"Europe/Paris\",\"costHeader\":\"X-Cost\"}");
        // the 31st of January leaves the window when the 3rd of February starts in Paris
        Instant thirdOfFebruary = Instant.parse("2027-02-02T23:00:00Z");
        HttpResponse<Buffer> first = get("/api/orders", "X-Cost", "2");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(first.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(thirdOfFebruary.getEpochSecond()));
        clock.set(FEBRUARY);
        assertThat(get("/api/orders").getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        HttpResponse<Buffer> refused = get("/api/orders");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo(Long.toString(2 * 24 * 3600));
        assertThat(refused.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(thirdOfFebruary.getEpochSecond()));

        assertThat(await(tollgate.quotaUsage(CLIENT)).get(0).toJson())
                .isEqualTo(new JsonObject()
                        .put("rule", "rolling")
                        .put("period", "3d")
                        .put("zone", "Europe/Paris")
                        .put("used", 3L)
                        .put("limit", 3L)
                        .put("remaining", 0L)
                        .put("periodStart", "2027-01-29T23:00:00Z")
                        .put("periodEnd", "2027-02-01T23:00:00Z")
                        .put("reset", thirdOfFebruary.getEpochSecond()));

        clock.set(thirdOfFebruary.minusNanos(1));
        assertThat(get("/api/orders").statusCode()).isEqualTo(429);
        clock.set(thirdOfFebruary);
        HttpResponse<Buffer> again = get("/api/orders", "X-Cost", "2");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.getHeader("X-RateLimit-Remaining"))
                .as("1 of the 1st, 2 of the 3rd")
                .isEqualTo("0");
    }

    @Test
    void aCostHeaderTakesThatManyAndABadOneIsA400ThatCountsNothing() {
        start(MONTHLY);
        assertThat(get("/api/export", "X-Cost", "3").getHeader("X-RateLimit-Remaining"))
                .isEqualTo("2");
        assertThat(get("/api/export", "X-Cost", "0").getHeader("X-RateLimit-Remaining"))
                .as("a cost of 0 takes nothing")
                .isEqualTo("2");
        assertThat(get("/api/export", "X-Cost", "3").statusCode())
                .as("3 more would pass the limit")
                .isEqualTo(429);
        assertThat(get("/api/export").getHeader("X-RateLimit-Remaining"))
                .as("without the header, the rule's cost")
                .isEqualTo("1");

        for (String bad : new String[] {"-1", "6", "1.5", "lots", "", "99999999999999999999"}) {
            HttpResponse<Buffer> refused = get("/api/export", "X-Cost", bad);
            assertThat(refused.statusCode()).as("X-Cost: " + bad).isEqualTo(400);
            assertThat(refused.bodyAsString())
                    .isEqualTo("Bad request: X-Cost must be given once, as a whole number from 0 to 5 (the quota of"
                            + " the rule 'monthly'); leave it out for a cost of 1.");
        }
        HttpResponse<Buffer> json = await(client.get(server.actualPort(), "127.0.0.1", "/api/export")
                .putHeader("Accept", "application/json")
                .putHeader("X-Cost", List.of("1", "1"))
                .send());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.bodyAsJsonObject().getString("error")).isEqualTo("bad_cost");
        assertThat(json.bodyAsJsonObject().getString("message")).endsWith("it was given 2 times");
        assertThat(tollgate.metrics().count("tollgate_http_refused_total", "bad_cost"))
                .isEqualTo(7);
        assertThat(await(tollgate.quotaUsage(CLIENT)).get(0).used())
                .as("the bad requests took nothing")
                .isEqualTo(4);
    }

    @Test
    void theUsageOfAKeyCoversEveryQuotaRuleAndTakesNothing() {
        start(
                MONTHLY,
                "{\"name\":\"daily\",\"path\":\"/api/*\",\"kind\":\"quota\",\"limit\":100,\"period\":\"day\"}",
                "{\"name\":\"rate\",\"path\":\"/api/*\",\"limit\":100,\"window\":\"1m\"}");
        get("/api/orders", "X-Cost", "2");
        List<QuotaUsage> usage = await(tollgate.quotaUsage(CLIENT));
        assertThat(usage).extracting(u -> u.rule().name()).containsExactlyInAnyOrder("monthly", "daily");
        QuotaUsage monthly = usage.stream()
                .filter(u -> u.rule().name().equals("monthly"))
                .findFirst()
                .orElseThrow();
        assertThat(monthly.toJson())
                .isEqualTo(new JsonObject()
                        .put("rule", "monthly")
                        .put("period", "month")
                        .put("zone", "Europe/Paris")
                        .put("used", 2L)
                        .put("limit", 5L)
                        .put("remaining", 3L)
                        .put("periodStart", "2026-12-31T23:00:00Z")
                        .put("periodEnd", "2027-01-31T23:00:00Z")
                        .put("reset", FEBRUARY.getEpochSecond()));
        QuotaUsage daily = usage.stream()
                .filter(u -> u.rule().name().equals("daily"))
                .findFirst()
                .orElseThrow();
        assertThat(daily.used()).as("the daily rule has no cost header: one").isEqualTo(1);
        assertThat(daily.period().end()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(await(tollgate.quotaUsage(CLIENT)).get(0).used()).isEqualTo(monthly.used());
        assertThat(await(tollgate.quotaUsage("ip:203.0.113.9")))
                .allSatisfy(u -> assertThat(u.used()).isZero());
    }

    @Test
    void aChangedPeriodStartsAfreshAndAnUnchangedRuleKeepsItsCount() {
        start(MONTHLY);
        get("/api/orders");
        tollgate.updateRules(List.of(Rule.fromJson(new JsonObject(MONTHLY))));
        assertThat(await(tollgate.quotaUsage(CLIENT)).get(0).used()).isEqualTo(1);
        tollgate.updateRules(List.of(Rule.fromJson(new JsonObject(MONTHLY.replace("Europe/Paris", "UTC")))));
        QuotaUsage utc = await(tollgate.quotaUsage(CLIENT)).get(0);
        assertThat(utc.used()).isZero();
        assertThat(utc.period().end()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    }

    @Test
    void aCheckFromOutsideTheRequestPathTakesPermitsUpToTheLimit() {
        start(MONTHLY);
        JsonObject check = new JsonObject().put("rule", "monthly").put("key", "job:42");
        CheckAnswer taken = await(
                tollgate.limitChecks().check(check.copy().put("permits", 4), "BUS", java.util.Optional.empty(), false));
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body().getLong("remaining")).isEqualTo(1);
        assertThat(taken.body().getLong("reset")).isEqualTo(FEBRUARY.getEpochSecond());
        CheckAnswer tooMany = await(
                tollgate.limitChecks().check(check.copy().put("permits", 6), "BUS", java.util.Optional.empty(), false));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().getString("error")).contains("more than the limit 5");
    }
}
