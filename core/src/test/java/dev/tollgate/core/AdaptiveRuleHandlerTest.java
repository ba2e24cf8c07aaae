package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An adaptive rule in the HTTP handler, over real sockets, in front of an upstream that answers when the test says
 * and as late as the test's clock says: rounds of ten requests at once, the upstream fast at first, then slow, then
 * failing. The limit follows, and no request is ever admitted past the limit of the moment.
 */
class AdaptiveRuleHandlerTest {

    private static final String RULE = "{\"name\":\"upstream\",\"path\":\"/up/*\",\"kind\":\"adaptive\","
            + "\"algorithm\":\"aimd\",\"minLimit\":1,\"maxLimit\":10,\"initialLimit\":4,\"latencyThreshold\":\"100ms\"}";
    private static final int ROUND = 10;

    private final ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));
    private final List<RateLimitEvent> events = new CopyOnWriteArrayList<>();
    /** The requests the upstream holds, until the test answers them. */
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();
    /** Every admission that found more requests at the upstream than the limit of the moment. */
    private final List<String> overLimit = new CopyOnWriteArrayList<>();

    private Vertx vertx;
    private WebClient client;
    private HttpServer server;
    private Tollgate tollgate;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(ROUND));
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()))
                .completion());
    }

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private void start(String rule) {
        tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .rules(List.of(Rule.fromJson(new JsonObject(rule))))
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route("/up/*").handler(ctx -> {
            int limit = tollgate.adaptiveLimit("upstream").orElseThrow();
            if (held.size() + 1 > limit) {
                overLimit.add((held.size() + 1) + " at the upstream with a limit of " + limit);
            }
            held.add(ctx);
        });
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    }

    private long inFlight() {
        return await(tollgate.ruleSet()
                        .named("upstream")
                        .orElseThrow()
                        .limiter()
                        .peek("global:all"))
                .count();
    }

    /**
     * Sends a round of requests at once; the upstream answers those admitted {@code latency} later (on the clock)
     * with {@code status}. Returns how many were admitted.
     */
    private int round(Duration latency, int status) {
        int limitBefore = tollgate.adaptiveLimit("upstream").orElseThrow();
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < ROUND; i++) {
            sent.add(client.get(server.actualPort(), "127.0.0.1", "/up/" + i).send());
        }
        Await.until(
                () -> held.size() + sent.stream().filter(Future::isComplete).count() == ROUND,
                "every request of the round admitted or refused");
        int admitted = held.size();
        for (Future<HttpResponse<Buffer>> response : sent) {
            if (response.isComplete()) {
                HttpResponse<Buffer> refused = response.result();
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.getHeader("X-RateLimit-Limit")).isEqualTo(Integer.toString(limitBefore));
                assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
                assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            }
        }
        clock.advance(latency);
        for (RoutingContext ctx : held) {
            ctx.response().setStatusCode(status).end("answered");
        }
        held.clear();
        for (Future<HttpResponse<Buffer>> response : sent) {
            await(response);
        }
        Await.until(() -> inFlight() == 0, "every slot back");
        return admitted;
    }

    @Test
    void theLimitFallsWhenTheUpstreamSlowsDownOrFailsAndNoAdmissionEverExceedsIt() {
        start(RULE);
        List<Integer> admitted = new ArrayList<>();
        List<Integer> limits = new ArrayList<>();
        Duration fast = Duration.ofMillis(20);
        Duration slow = Duration.ofMillis(300);
        for (Duration latency : List.of(fast, fast, fast, slow, slow)) {
            admitted.add(round(latency, 200));
            limits.add(tollgate.adaptiveLimit("upstream").orElseThrow());
        }
        admitted.add(round(fast, 500));
        limits.add(tollgate.adaptiveLimit("upstream").orElseThrow());
        admitted.add(round(fast, 200));
        limits.add(tollgate.adaptiveLimit("upstream").orElseThrow());

        // fast rounds add one per response while the limit is at least half in use, up to maxLimit; a slow
        // round takes 10 % off per response: 10 × 0.9¹⁰ = 3.49, then 3.49 × 0.9³ = 2.54; failures as slow ones
        assertThat(admitted).containsExactly(4, 6, 9, 10, 3, 2, 2);
        assertThat(limits).containsExactly(6, 9, 10, 3, 2, 2, 3);
        assertThat(overLimit).isEmpty();
    }

    @Test
    void refusalsAreRecordedAsBlockedAndTheLimitIsAGaugeOnMetrics() {
        start(RULE.replace("\"initialLimit\":4", "\"initialLimit\":1"));
        round(Duration.ofMillis(500), 200);
        Await.until(() -> events.stream().anyMatch(e -> !e.allowed()), "a refusal's event");
        RateLimitEvent blocked =
                events.stream().filter(e -> !e.allowed()).findFirst().orElseThrow();
        assertThat(blocked.ruleName()).isEqualTo("upstream");
        assertThat(blocked.key()).isEqualTo("global:all");
        assertThat(blocked.limit()).isEqualTo(1);
        assertThat(tollgate.metrics().registry().scrape()).contains("tollgate_adaptive_limit{rule=\"upstream\"} 1.0");
        tollgate.updateRules(List.of());
        assertThat(tollgate.metrics().registry().scrape()).doesNotContain("tollgate_adaptive_limit");
    }

    @Test
    void aCheckOverTheBusIsRefusedForItsSlotWouldNeverComeBack() {
        start(RULE);
        Future<RuleResult> checked = tollgate.checkKey("upstream", "global:all", 1);
        Await.until(checked::isComplete, "the check's answer");
        assertThat(checked.cause())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the rule 'upstream' is an adaptive rule: its slots are held by requests");
        assertThat(inFlight()).isZero();
    }

    @Test
    void aRuleThatSaysSoRefusesWith429() {
        start(RULE.replace("\"initialLimit\":4", "\"initialLimit\":1,\"status\":429"));
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sent.add(client.get(server.actualPort(), "127.0.0.1", "/up/" + i).send());
        }
        Await.until(() -> held.size() == 1 && sent.stream().anyMatch(Future::isComplete), "one held, one refused");
        HttpResponse<Buffer> refused = sent.stream()
                .filter(Future::isComplete)
                .findFirst()
                .orElseThrow()
                .result();
        assertThat(refused.statusCode()).isEqualTo(429);
        held.forEach(ctx -> ctx.response().end());
    }
}
