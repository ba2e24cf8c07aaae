package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency rules in the HTTP handler, over real sockets: requests hold slots while in flight, and give them back
 * exactly once however their response ends (sent, failed, the client gone mid-response).
 */
class ConcurrencyRuleTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    private static final String CLIENT = "ip:127.0.0.1";

    private final HandlerFixture fixture = new HandlerFixture();
    private final Vertx vertx = fixture.vertx;
    private final WebClient client = fixture.client;
    private HttpServer server;
    private Tollgate tollgate;
    private final ManualClock clock = ManualClock.at(START);
    private final List<RateLimitEvent> events = fixture.events;
    /** Requests to /slow/* wait here, their response begun, until the test ends them. */
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        fixture.close();
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
        router.route("/timeout/*").handler(TimeoutHandler.create(100));
        router.route().handler(tollgate.handler());
        // never answers: the timeout handler does
        router.route("/timeout/*").handler(ctx -> {});
        router.route("/slow/*").handler(ctx -> {
            // the response begins and then hangs, until the test ends it or the client goes
            ctx.response().setChunked(true).write("partial ");
            held.add(ctx);
        });
        router.route("/fail/*").handler(ctx -> ctx.fail(500));
        router.route().handler(ctx -> ctx.response().end("ok"));
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    }

    /** Opens a connection, sends a GET and reads until the response has begun; the socket stays open. */
    private Socket openSlow(String path) throws IOException {
        Socket socket = fixture.sendWithoutWaiting(server.actualPort(), path);
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("partial")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection after: " + seen);
            }
            seen.append((char) b);
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }

    private HttpResponse<Buffer> get(String path) {
        return await(client.get(server.actualPort(), "127.0.0.1", path).send());
    }

    private long inFlight(String rule, String key) {
        CompiledRule compiled = tollgate.ruleSet().named(rule).orElseThrow();
        return await(compiled.limiter().peek(key)).count();
    }

    private void awaitInFlight(String rule, String key, long expected) {
        Await.until(() -> inFlight(rule, key) == expected, rule + " holding " + expected + " slot(s) for " + key);
    }

    /** What {@code /metrics} shows of the slots the rule's requests hold on this node. */
    private double slotsHeldGauge(String rule) {
        return tollgate.metrics()
                .registry()
                .get("tollgate.slots.held")
                .tag("rule", rule)
                .gauge()
                .value();
    }

    private static final String SLOW_RULE =
            "{\"name\":\"slow\",\"path\":\"/slow/*\",\"kind\":\"concurrency\",\"limit\":3}";

    @Test
    void holdsThreeInFlightRefusesTheFourthAndGetsEverySlotBackWhenClientsCloseMidResponse() throws IOException {
        start(SLOW_RULE);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(openSlow("/slow/" + i));
        }
        assertThat(inFlight("slow", CLIENT)).isEqualTo(3);
        assertThat(slotsHeldGauge("slow")).isEqualTo(3);

        HttpResponse<Buffer> refused = get("/slow/3");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getHeader("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(held).hasSize(3);

        for (Socket socket : open) {
            socket.close();
        }
        awaitInFlight("slow", CLIENT, 0);
        Await.until(() -> slotsHeldGauge("slow") == 0, "the gauge at 0 once every client went");
        openSlow("/slow/again");
        assertThat(inFlight("slow", CLIENT)).as("a new request in flight").isEqualTo(1);
        assertThat(slotsHeldGauge("slow")).isEqualTo(1);
    }

    @Test
    void refusalsAreRecordedAsBlockedByTheRule() throws IOException {
        start(SLOW_RULE.replace("\"limit\":3", "\"limit\":1"));
        openSlow("/slow/a");
        assertThat(get("/slow/b").statusCode()).isEqualTo(429);
        Await.until(() -> events.stream().anyMatch(e -> !e.allowed()), "the refusal's event");
        RateLimitEvent blocked =
                events.stream().filter(e -> !e.allowed()).findFirst().orElseThrow();
        assertThat(blocked.ruleName()).isEqualTo("slow");
        assertThat(blocked.key()).isEqualTo(CLIENT);
        assertThat(blocked.limit()).isEqualTo(1);
        assertThat(blocked.count()).isEqualTo(1);
    }

    @Test
    void aServedResponseGivesItsSlotBackSoRequestsOneAfterAnotherAllPass() {
        start("{\"name\":\"one\",\"path\":\"/*\",\"kind\":\"concurrency\",\"limit\":1}");
        for (int i = 0; i < 10; i++) {
            HttpResponse<Buffer> ok = get("/done/" + i);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        }
        awaitInFlight("one", CLIENT, 0);
    }

    @Test
    void aFailedRequestGivesItsSlotBack() {
        start("{\"name\":\"one\",\"path\":\"/*\",\"kind\":\"concurrency\",\"limit\":1}");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/fail/" + i).statusCode()).isEqualTo(500);
        }
        awaitInFlight("one", CLIENT, 0);
    }

    @Test
    void aRequestThatTimesOutGivesItsSlotBack() {
        start("{\"name\":\"one\",\"path\":\"/*\",\"kind\":\"concurrency\",\"limit\":1}");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/timeout/" + i).statusCode())
                    .as("answered by the timeout")
                    .isEqualTo(503);
        }
        awaitInFlight("one", CLIENT, 0);
    }

    @Test
    void aRuleThatProtectsAnUpstreamAnswersItsRefusalsWith503() throws IOException {
        start("{\"name\":\"upstream\",\"path\":\"/slow/*\",\"kind\":\"concurrency\",\"key\":\"global\","
                + "\"limit\":2,\"status\":503}");
        openSlow("/slow/1");
        openSlow("/slow/2");
        HttpResponse<Buffer> refused = await(client.get(server.actualPort(), "127.0.0.1", "/slow/3")
                .putHeader("Accept", "application/json")
                .send());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.bodyAsJsonObject().getString("rule")).isEqualTo("upstream");
        assertThat(inFlight("upstream", "global:all"))
                .as("every client counts against one key")
                .isEqualTo(2);
    }

    @Test
    void whenALaterRuleRefusesTheSlotsOfAnEarlierConcurrencyRuleAreGivenBackAtOnce() throws IOException {
        start(
                "{\"name\":\"slots\",\"path\":\"/slow/*\",\"kind\":\"concurrency\",\"limit\":5,\"priority\":10}",
                "{\"name\":\"rate\",\"path\":\"/slow/*\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1m\"}");
        Socket first = openSlow("/slow/1");
        for (int i = 0; i < 4; i++) {
            HttpResponse<Buffer> refused = get("/slow/refused-" + i);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.getHeader("Retry-After"))
                    .as("the rate rule's wait")
                    .isEqualTo("60");
        }
        assertThat(inFlight("slots", CLIENT))
                .as("only the request in flight holds a slot")
                .isEqualTo(1);
        assertThat(slotsHeldGauge("slots"))
                .as("the refused requests' slots counted back at once")
                .isEqualTo(1);
        first.close();
        awaitInFlight("slots", CLIENT, 0);
        Await.until(() -> slotsHeldGauge("slots") == 0, "the gauge at 0");
    }

    @Test
    void aRequestRefusedByTheConcurrencyRuleTakesNothingFromTheOthers() throws IOException {
        start(
                "{\"name\":\"slots\",\"path\":\"/slow/*\",\"kind\":\"concurrency\",\"limit\":1,\"priority\":10}",
                "{\"name\":\"rate\",\"path\":\"/slow/*\",\"algorithm\":\"fixed-window\",\"limit\":10,\"window\":\"1m\"}");
        Socket first = openSlow("/slow/1");
        assertThat(get("/slow/2").statusCode()).isEqualTo(429);
        first.close();
        awaitInFlight("slots", CLIENT, 0);
        assertThat(held).hasSize(1);
    }

    @Test
    void theBusRefusesAConcurrencyRuleSinceNoResponseWouldGiveTheSlotBack() {
        start(SLOW_RULE);
        await(tollgate.deployServices());
        Throwable failure = Await.failure(vertx.eventBus()
                .request(
                        Addresses.LIMIT_CHECK,
                        new JsonObject().put("rule", "slow").put("key", "job:1")));
        assertThat(failure).isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(400);
            assertThat(e.getMessage()).contains("concurrency rule", "use the HTTP handler");
        });
        assertThat(inFlight("slow", "job:1")).isZero();
    }

    @Test
    void aLimiterForDecisionsOutsideARequestIsNeverAConcurrencyLimiter() {
        start(SLOW_RULE);
        LimitSpec spec = new LimitSpec(ConcurrencyLimiter.ALGORITHM, 2, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 2, 1);
        assertThatThrownBy(() -> tollgate.newLimiter("descriptor", spec))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("algorithm"))
                .hasMessageContaining("held by HTTP requests");
    }

    @Test
    void aVerdictGivesItsSlotsBackOnceHoweverOftenItIsReleased() {
        start("{\"name\":\"two\",\"path\":\"/*\",\"kind\":\"concurrency\",\"limit\":2}");
        RequestInfo request = RequestInfo.of("GET", "/x", "127.0.0.1");
        Verdict first = await(tollgate.check(request));
        Verdict second = await(tollgate.check(request));
        assertThat(await(tollgate.check(request)).outcome()).isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(inFlight("two", CLIENT)).isEqualTo(2);
        first.release();
        first.release();
        first.release();
        assertThat(inFlight("two", CLIENT))
                .as("one release, however often called")
                .isEqualTo(1);
        second.release();
        assertThat(inFlight("two", CLIENT)).isZero();
        assertThatThrownBy(() -> await(tollgate.checkKey("two", "job:1", 1)))
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
