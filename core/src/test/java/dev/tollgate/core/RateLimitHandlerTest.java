package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitHandlerTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private final HandlerFixture fixture = new HandlerFixture();
    private final Vertx vertx = fixture.vertx;
    private final WebClient client = fixture.client;
    private HttpServer server;
    private final ManualClock clock = ManualClock.at(START);
    private final List<RateLimitEvent> events = fixture.events;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Tollgate start(Tollgate.Builder builder, String... rules) {
        List<Rule> parsed = java.util.Arrays.stream(rules)
                .map(r -> Rule.fromJson(new JsonObject(r)))
                .toList();
        Tollgate tollgate = builder.vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .rules(parsed)
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route().handler(ctx -> ctx.response().end("ok " + ctx.normalizedPath()));
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        return tollgate;
    }

    private HttpResponse<Buffer> send(String method, String path, String... headers) {
        HttpRequest<Buffer> request =
                client.request(io.vertx.core.http.HttpMethod.valueOf(method), server.actualPort(), "127.0.0.1", path);
        for (int i = 0; i < headers.length; i += 2) {
            request.putHeader(headers[i], headers[i + 1]);
        }
        return await(request.send());
    }

    @Test
    void blocksTheFourthLoginInAMinuteWithExactHeaders() {
        start(
                Tollgate.builder(),
                "{\"name\":\"login\",\"path\":\"/api/login\",\"methods\":[\"POST\"],"
                        + "\"algorithm\":\"fixed-window\",\"limit\":3,\"window\":\"1m\"}");
        clock.set(START.plusSeconds(15));
        for (int i = 1; i <= 3; i++) {
            HttpResponse<Buffer> ok = send("POST", "/api/login");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.getHeader("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(ok.getHeader("X-RateLimit-Remaining")).isEqualTo(String.valueOf(3 - i));
            assertThat(ok.getHeader("X-RateLimit-Reset"))
                    .isEqualTo(String.valueOf(START.plusSeconds(60).getEpochSecond()));
        }
        HttpResponse<Buffer> limited = send("POST", "/api/login");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.getHeader("Retry-After")).isEqualTo("45");
        assertThat(limited.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.bodyAsString()).isEqualTo("Rate limit exceeded. Please try again later.");
        assertThat(limited.getHeader("Content-Type")).startsWith("text/plain");
    }

    @Test
    void leavesTheVerdictInTheRoutingContextForAHandlerThatLogsTheRequest() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .rules(
                        List.of(
                                Rule.fromJson(
                                        new JsonObject(
                                                "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1m\"}"))))
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addEndHandler(ended -> {
                Verdict verdict = ctx.get(RateLimitHandler.VERDICT);
                seen.add(ctx.request().path() + " " + (verdict == null ? "none" : verdict.outcome()));
            });
            ctx.next();
        });
        router.route().handler(tollgate.handler());
        router.route().handler(ctx -> ctx.response().end("ok"));
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));

        assertThat(send("GET", "/api/a").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/a").statusCode()).isEqualTo(429);
        assertThat(send("GET", "/static/a").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/%2F").statusCode()).isEqualTo(400);
        dev.tollgate.test.support.Await.until(() -> seen.size() == 4, "four requests ended");
        assertThat(seen).containsExactly("/api/a ALLOWED", "/api/a LIMITED", "/static/a UNCHECKED", "/api/%2F none");
    }

    @Test
    void answersJsonToAClientThatAcceptsIt() {
        start(
                Tollgate.builder(),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"token-bucket\",\"limit\":1,"
                        + "\"window\":\"2s\",\"burst\":1}");
        send("GET", "/api/a");
        HttpResponse<Buffer> limited = send("GET", "/api/a", "Accept", "application/json");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(limited.bodyAsJsonObject())
                .isEqualTo(new JsonObject()
                        .put("error", "rate_limited")
                        .put("rule", "api")
                        .put("retryAfter", 2));
    }

    @Test
    void publishesOneEventPerCheckedRequestAndNoneForOthers() {
        start(Tollgate.builder(), "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":2,\"window\":\"1m\"}");
        send("GET", "/api/x");
        send("GET", "/api/x");
        send("GET", "/api/x");
        HttpResponse<Buffer> other = send("GET", "/static/app.js");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.getHeader("X-RateLimit-Limit")).isNull();
        Await.until(() -> events.size() >= 3, "three events");
        assertThat(events).hasSize(3);
        assertThat(events).extracting(RateLimitEvent::allowed).containsExactly(true, true, false);
        RateLimitEvent blocked = events.get(2);
        assertThat(blocked.key()).isEqualTo("ip:127.0.0.1");
        assertThat(blocked.ruleName()).isEqualTo("api");
        assertThat(blocked.path()).isEqualTo("/api/x");
        assertThat(blocked.method()).isEqualTo("GET");
        assertThat(blocked.count()).isEqualTo(2);
        assertThat(blocked.limit()).isEqualTo(2);
        assertThat(blocked.ipAddress()).contains("127.0.0.1");
        assertThat(blocked.timestamp()).isEqualTo(START);
    }

    @Test
    void keysComeFromTheClientBehindATrustedProxyOnly() {
        start(
                Tollgate.builder().trustedProxies(List.of("127.0.0.1/32")),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":1,\"window\":\"1m\"}");
        assertThat(send("GET", "/api/a", "X-Forwarded-For", "203.0.113.5").statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/a", "X-Forwarded-For", "203.0.113.5").statusCode())
                .isEqualTo(429);
        assertThat(send("GET", "/api/a", "X-Forwarded-For", "203.0.113.6").statusCode())
                .isEqualTo(200);
        Await.until(() -> events.size() == 3, "three events");
        assertThat(events.get(2).key()).isEqualTo("ip:203.0.113.6");
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        start(Tollgate.builder(), "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":1,\"window\":\"1m\"}");
        assertThat(send("GET", "/api/a", "X-Forwarded-For", "203.0.113.5").statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/a", "X-Forwarded-For", "203.0.113.6").statusCode())
                .isEqualTo(429);
    }

    @Test
    void aHeaderKeyCountsEachApiKeyApartAndFallsBackToTheAddress() {
        start(
                Tollgate.builder(),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"key\":\"header:X-API-Key\",\"limit\":1,"
                        + "\"window\":\"1m\"}");
        assertThat(send("GET", "/api/a", "X-API-Key", "alpha").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/a", "X-API-Key", "alpha").statusCode()).isEqualTo(429);
        assertThat(send("GET", "/api/a", "X-API-Key", "beta").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/a").statusCode()).isEqualTo(200);
        Await.until(() -> events.size() == 4, "four events");
        assertThat(events)
                .extracting(RateLimitEvent::key)
                .containsExactly(
                        "header:x-api-key:alpha", "header:x-api-key:alpha", "header:x-api-key:beta", "ip:127.0.0.1");
    }

    @Test
    void everyMatchingRuleIsCheckedAndTheFirstBlockingOneIsNamed() {
        start(
                Tollgate.builder(),
                "{\"name\":\"broad\",\"path\":\"/*\",\"limit\":100,\"window\":\"1m\",\"priority\":10}",
                "{\"name\":\"narrow\",\"path\":\"/api/login\",\"limit\":1,\"window\":\"1m\"}");
        assertThat(send("GET", "/api/login").statusCode()).isEqualTo(200);
        HttpResponse<Buffer> limited = send("GET", "/api/login", "Accept", "application/json");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.bodyAsJsonObject().getString("rule")).isEqualTo("narrow");
        assertThat(limited.getHeader("X-RateLimit-Limit")).isEqualTo("1");
        Await.until(() -> events.size() == 2, "two events");
        assertThat(events.get(0).ruleName())
                .as("all allow: the highest priority rule")
                .isEqualTo("broad");
        assertThat(events.get(1).ruleName()).isEqualTo("narrow");
    }

    @Test
    void aShadowRuleNeverBlocksAndItsWouldBeRefusalIsServedAndMarkedShadow() {
        Tollgate tollgate = start(
                Tollgate.builder(),
                "{\"name\":\"trial\",\"path\":\"/*\",\"limit\":1,\"window\":\"1m\",\"shadow\":true}");
        assertThat(send("GET", "/x").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/x").statusCode()).isEqualTo(200);
        Await.until(() -> events.size() == 2, "two events");
        assertThat(events).extracting(RateLimitEvent::ruleName).containsExactly("trial", "trial");
        assertThat(events).extracting(RateLimitEvent::allowed).as("both served").containsExactly(true, true);
        assertThat(events)
                .extracting(RateLimitEvent::shadow)
                .as("the second one the rule would have refused")
                .containsExactly(false, true);
        assertThat(events).extracting(RateLimitEvent::blocked).containsExactly(false, false);
        assertThat(events).extracting(RateLimitEvent::shadowBlocked).containsExactly(false, true);
        assertThat(tollgate.metrics().decisions("trial", "allowed")).isEqualTo(1);
        assertThat(tollgate.metrics().decisions("trial", "shadow_blocked")).isEqualTo(1);
        assertThat(tollgate.metrics().decisions("trial", "blocked")).isZero();
        assertThat(tollgate.metrics().prometheus())
                .contains("tollgate_decisions_total{outcome=\"allowed\",rule=\"trial\"} 1.0\n")
                .contains("tollgate_decisions_total{outcome=\"shadow_blocked\",rule=\"trial\"} 1.0\n")
                .doesNotContain("outcome=\"blocked\"");
    }

    @Test
    void aRequestOnlyAShadowRuleWouldRefuseIsServedAndNamesThatRule() {
        Tollgate tollgate = start(
                Tollgate.builder(),
                "{\"name\":\"api\",\"path\":\"/*\",\"limit\":10,\"window\":\"1m\",\"priority\":10}",
                "{\"name\":\"trial\",\"path\":\"/*\",\"limit\":1,\"window\":\"1m\",\"shadow\":true}");
        assertThat(send("GET", "/x").statusCode()).isEqualTo(200);
        HttpResponse<Buffer> served = send("GET", "/x");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.getHeader("X-RateLimit-Limit"))
                .as("the enforced rule's headers")
                .isEqualTo("10");
        Await.until(() -> events.size() == 2, "two events");
        RateLimitEvent first = events.get(0);
        RateLimitEvent second = events.get(1);
        assertThat(first.ruleName()).as("all allow: the highest priority rule").isEqualTo("api");
        assertThat(first.allowed()).isTrue();
        assertThat(first.shadow()).isFalse();
        assertThat(second.ruleName()).isEqualTo("trial");
        assertThat(second.allowed()).isTrue();
        assertThat(second.shadow()).isTrue();
        assertThat(second.count()).isEqualTo(1);
        assertThat(second.limit()).isEqualTo(1);
        assertThat(tollgate.metrics().decisions("api", "allowed")).isEqualTo(2);
        assertThat(tollgate.metrics().decisions("trial", "shadow_blocked")).isEqualTo(1);
    }

    @Test
    void aRequestAnEnforcedRuleRefusesIsBlockedAndNotShadowWhateverAShadowRuleSays() {
        Tollgate tollgate = start(
                Tollgate.builder(),
                "{\"name\":\"trial\",\"path\":\"/*\",\"limit\":1,\"window\":\"1m\",\"shadow\":true,"
                        + "\"priority\":10}",
                "{\"name\":\"api\",\"path\":\"/*\",\"limit\":1,\"window\":\"1m\"}");
        assertThat(send("GET", "/x").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/x").statusCode()).isEqualTo(429);
        Await.until(() -> events.size() == 2, "two events");
        RateLimitEvent refused = events.get(1);
        assertThat(refused.ruleName()).isEqualTo("api");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.shadow()).isFalse();
        assertThat(events.get(0).shadow())
                .as("a shadow rule that allowed is no shadow refusal")
                .isFalse();
        assertThat(tollgate.metrics().decisions("api", "blocked")).isEqualTo(1);
        assertThat(tollgate.metrics().decisions("trial", "shadow_blocked")).isEqualTo(1);
    }

    @Test
    void theDenyListRefusesAndTheAllowListExempts() {
        Tollgate tollgate = start(
                Tollgate.builder().deny(List.of("127.0.0.0/8")),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":1,\"window\":\"1m\"}");
        assertThat(send("GET", "/anything").statusCode()).isEqualTo(403);
        assertThat(tollgate.metrics().decisions("", "denied")).isEqualTo(1);
        await(server.close());

        start(
                Tollgate.builder().allow(List.of("ip:127.0.0.1")),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":1,\"window\":\"1m\"}");
        for (int i = 0; i < 5; i++) {
            HttpResponse<Buffer> exempt = send("GET", "/api/a");
            assertThat(exempt.statusCode()).isEqualTo(200);
            assertThat(exempt.getHeader("X-RateLimit-Limit")).isNull();
        }
    }

    @Test
    void newRulesApplyToTheNextRequestAndUnchangedRulesKeepTheirCounts() {
        Tollgate tollgate =
                start(Tollgate.builder(), "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":2,\"window\":\"1m\"}");
        send("GET", "/api/a");
        send("GET", "/api/a");
        Rule same = tollgate.rules().get(0);
        Rule extra =
                Rule.fromJson(new JsonObject("{\"name\":\"other\",\"path\":\"/other\",\"limit\":1,\"window\":\"1m\"}"));
        tollgate.updateRules(List.of(same, extra));
        assertThat(send("GET", "/api/a").statusCode()).as("api kept its count").isEqualTo(429);
        assertThat(send("GET", "/other").getHeader("X-RateLimit-Limit")).isEqualTo("1");

        Rule looser = Rule.fromJson(same.toJson().put("limit", 5));
        tollgate.updateRules(List.of(looser));
        assertThat(send("GET", "/api/a").getHeader("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(send("GET", "/other").getHeader("X-RateLimit-Limit")).isNull();
    }

    @Test
    void aBadRuleSetIsRefusedWholeAndTheRunningRulesStay() {
        Tollgate tollgate =
                start(Tollgate.builder(), "{\"name\":\"api\",\"path\":\"/api/*\",\"limit\":2,\"window\":\"1m\"}");
        Rule good = Rule.fromJson(new JsonObject("{\"name\":\"new\",\"path\":\"/new\",\"limit\":1,\"window\":\"1m\"}"));
        Rule badAlgorithm =
                Rule.fromJson(new JsonObject("{\"name\":\"b\",\"algorithm\":\"magic\",\"limit\":1,\"window\":\"1m\"}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tollgate.updateRules(List.of(good, badAlgorithm)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(
                        "rules[1].algorithm: unknown algorithm 'magic' for backend 'local'; known: concurrency, fixed-window,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tollgate.updateRules(List.of(good, good)))
                .hasMessage("rules[1].name: a second rule named 'new'; rule names must be unique");
        assertThat(tollgate.rules()).extracting(Rule::name).containsExactly("api");
    }

    @Test
    void theHandlerRecordsTheFirstUserAgentAndNoUpstreamFacts() {
        start(
                Tollgate.builder(),
                "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1m\"}");

        assertThat(send("GET", "/api/a", "User-Agent", "curl/8.5.0").statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/a", "User-Agent", "x".repeat(1000)).statusCode())
                .isEqualTo(429);
        assertThat(send("GET", "/api/a", "User-Agent", "").statusCode()).isEqualTo(429);

        Await.until(() -> events.size() == 3, "three events");
        assertThat(events.get(0).userAgent()).contains("curl/8.5.0");
        assertThat(events.get(1).userAgent()).contains("x".repeat(RateLimitEvent.MAX_USER_AGENT));
        assertThat(events.get(2).userAgent()).isEmpty();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.upstreamStatus()).isEmpty();
            assertThat(event.upstreamLatency()).isEmpty();
        });
    }

    @Test
    void theUserAgentIsTheFirstOfRepeatedHeaders() {
        io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                .add("user-agent", "first/1")
                .add("User-Agent", "second/2");
        RequestInfo request = new RequestInfo(
                "GET",
                "/",
                "192.0.2.1",
                headers,
                io.vertx.core.MultiMap.caseInsensitiveMultiMap(),
                java.util.Optional.empty());

        assertThat(VerdictAssembler.userAgent(request)).contains("first/1");
        assertThat(VerdictAssembler.userAgent(RequestInfo.of("GET", "/", ""))).isEmpty();
    }

    @Test
    void aGatewayHandlerWhoseRequestNeverReachesAProxyPublishesItsEventOnceWhenTheResponseEnds() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .rules(
                        List.of(
                                Rule.fromJson(
                                        new JsonObject(
                                                "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1m\"}"))))
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.gatewayHandler());
        List<Object> held = new CopyOnWriteArrayList<>();
        router.route().handler(ctx -> {
            if (ctx.get(RateLimitHandler.UPSTREAM_EVENT) != null) {
                held.add(ctx.get(RateLimitHandler.UPSTREAM_EVENT));
            }
            ctx.response().end("answered here");
        });
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));

        assertThat(send("GET", "/api/a", "User-Agent", "probe/1").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/a").statusCode()).isEqualTo(429);

        Await.until(() -> events.size() == 2, "two events");
        assertThat(events.get(0).allowed()).isTrue();
        assertThat(events.get(0).userAgent()).contains("probe/1");
        assertThat(events.get(0).upstreamStatus()).isEmpty();
        assertThat(events.get(1).blocked()).isTrue();
        assertThat(held).hasSize(1).allSatisfy(event -> assertThat(event).isInstanceOf(UpstreamEvent.class));
        assertThat(((UpstreamEvent) held.get(0)).published()).isTrue();
        assertThat(send("GET", "/other").statusCode()).isEqualTo(200);
        assertThat(events).hasSize(2);
    }
}
