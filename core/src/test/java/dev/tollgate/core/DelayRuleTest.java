package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rules with {@code onExceed: delay} in the HTTP handler, over real sockets, with time on a manual clock: requests
 * over the rate wait until their permits are due and then reach the application at exactly that time, at most
 * {@code maxQueued} of them at once, and a client that goes away leaves the queue.
 */
class DelayRuleTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    private static final String CLIENT = "ip:127.0.0.1";
    /** One permit a second, two at once; a request may wait up to 3 s, two at a time. */
    private static final String DELAY_RULE = "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"token-bucket\","
            + "\"limit\":1,\"window\":\"1s\",\"burst\":2,\"onExceed\":\"delay\",\"maxDelay\":\"3s\",\"maxQueued\":2}";

    private final HandlerFixture fixture = new HandlerFixture();
    private final Vertx vertx = fixture.vertx;
    private final WebClient client = fixture.client;
    private HttpServer server;
    private Tollgate tollgate;
    private final ManualClock clock = ManualClock.at(START);
    private final ManualWaitTimer timer = new ManualWaitTimer(clock);
    private final List<RateLimitEvent> events = fixture.events;
    /** What reached the application: the path and the clock's time then. */
    private final List<String> served = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void start(String... rules) {
        tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .waitTimer(timer)
                .rules(List.of(rules).stream()
                        .map(r -> Rule.fromJson(new JsonObject(r)))
                        .toList())
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route().handler(ctx -> {
            served.add(ctx.request().path() + "@" + clock.instant());
            ctx.response().end("ok");
        });
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    }

    private Future<HttpResponse<Buffer>> send(String path) {
        return client.get(server.actualPort(), "127.0.0.1", path).send();
    }

    /** Sends a request that will wait, and returns once it does. */
    private Future<HttpResponse<Buffer>> sendWaiting(String path) {
        int before = timer.pending();
        Future<HttpResponse<Buffer>> response = send(path);
        Await.until(() -> timer.pending() == before + 1, path + " waiting");
        return response;
    }

    private int waiting() {
        return tollgate.ruleSet().named("api").orElseThrow().queue().waiting();
    }

    /** What {@code /metrics} shows of the requests of the rule {@code api} waiting now. */
    private double delayedGauge() {
        return tollgate.metrics()
                .registry()
                .get("tollgate.delayed.requests")
                .tag("rule", "api")
                .gauge()
                .value();
    }

    @Test
    void releasesEachDelayedRequestExactlyWhenItsPermitIsDueAndRefusesPastTheQueue() {
        start(DELAY_RULE);
        assertThat(await(send("/api/0")).statusCode()).isEqualTo(200);
        assertThat(await(send("/api/1")).statusCode()).isEqualTo(200);
        Future<HttpResponse<Buffer>> third = sendWaiting("/api/2");
        Future<HttpResponse<Buffer>> fourth = sendWaiting("/api/3");
        assertThat(timer.dueTimes()).containsExactly(START.plusSeconds(1), START.plusSeconds(2));
        assertThat(waiting()).isEqualTo(2);
        assertThat(delayedGauge()).isEqualTo(2);

        HttpResponse<Buffer> fifth = await(send("/api/4"));
        assertThat(fifth.statusCode())
                .as("due in 3 s, within maxDelay, but two wait already")
                .isEqualTo(429);
        assertThat(fifth.getHeader("Retry-After")).isEqualTo("3");

        timer.advanceTo(START.plusMillis(999));
        assertThat(third.isComplete()).isFalse();
        timer.advanceTo(START.plusSeconds(1));
        HttpResponse<Buffer> thirdAnswer = await(third);
        assertThat(thirdAnswer.statusCode()).isEqualTo(200);
        assertThat(thirdAnswer.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(thirdAnswer.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(fourth.isComplete()).isFalse();
        timer.advanceTo(START.plusSeconds(2));
        assertThat(await(fourth).statusCode()).isEqualTo(200);

        assertThat(served)
                .containsExactly(
                        "/api/0@" + START,
                        "/api/1@" + START,
                        "/api/2@" + START.plusSeconds(1),
                        "/api/3@" + START.plusSeconds(2));
        assertThat(waiting()).isZero();
        assertThat(delayedGauge()).isZero();
    }

    @Test
    void refusesARequestDueLaterThanMaxDelay() {
        start(DELAY_RULE.replace("\"maxQueued\":2", "\"maxQueued\":10"));
        await(send("/api/0"));
        await(send("/api/1"));
        sendWaiting("/api/2");
        sendWaiting("/api/3");
        sendWaiting("/api/4");
        HttpResponse<Buffer> late = await(send("/api/5"));
        assertThat(late.statusCode()).as("due in 4 s, past the 3 s maxDelay").isEqualTo(429);
        assertThat(late.getHeader("Retry-After")).isEqualTo("4");
        assertThat(timer.dueTimes()).containsExactly(START.plusSeconds(1), START.plusSeconds(2), START.plusSeconds(3));
    }

    @Test
    void aClientThatGoesAwayLeavesTheQueueAndGivesItsPermitBack() throws IOException {
        start(DELAY_RULE.replace("\"maxQueued\":2", "\"maxQueued\":1"));
        await(send("/api/0"));
        await(send("/api/1"));
        int before = timer.pending();
        Socket gone = openWaiting("/api/gone");
        Await.until(() -> timer.pending() == before + 1, "the request waiting");
        assertThat(await(send("/api/full")).statusCode())
                .as("the queue is full")
                .isEqualTo(429);

        gone.close();
        Await.until(() -> waiting() == 0 && timer.pending() == 0, "the place freed and the timer cancelled");

        Future<HttpResponse<Buffer>> next = sendWaiting("/api/next");
        assertThat(timer.dueTimes()).as("in the place of the one that left").containsExactly(START.plusSeconds(1));
        timer.advanceTo(START.plusSeconds(1));
        assertThat(await(next).statusCode()).isEqualTo(200);
        assertThat(served).doesNotContain("/api/gone@" + START.plusSeconds(1)).hasSize(3);
    }

    @Test
    void aDelayedRequestIsRecordedAsAllowed() {
        start(DELAY_RULE);
        await(send("/api/0"));
        await(send("/api/1"));
        Future<HttpResponse<Buffer>> third = sendWaiting("/api/2");
        timer.advanceTo(START.plusSeconds(1));
        await(third);
        Await.until(() -> events.size() == 3, "three events");
        RateLimitEvent delayed = events.stream()
                .filter(e -> e.path().equals("/api/2"))
                .findFirst()
                .orElseThrow();
        assertThat(delayed.allowed()).isTrue();
        assertThat(delayed.ruleName()).isEqualTo("api");
        assertThat(delayed.count()).as("the burst and the permit it waited for").isEqualTo(3);
        assertThat(delayed.limit()).isEqualTo(2);
    }

    @Test
    void aRequestAnotherRuleRefusesGivesItsReservationBack() {
        start(
                DELAY_RULE,
                "{\"name\":\"strict\",\"path\":\"/api/strict/*\",\"algorithm\":\"fixed-window\",\"limit\":3,"
                        + "\"window\":\"1m\"}");
        await(send("/api/strict/0"));
        await(send("/api/strict/1"));
        Future<HttpResponse<Buffer>> third = sendWaiting("/api/strict/2");
        HttpResponse<Buffer> refused = await(send("/api/strict/3"));
        assertThat(refused.statusCode()).as("the strict rule refuses").isEqualTo(429);
        assertThat(timer.dueTimes()).containsExactly(START.plusSeconds(1));
        assertThat(waiting()).isEqualTo(1);
        Future<HttpResponse<Buffer>> fourth = sendWaiting("/api/4");
        assertThat(timer.dueTimes())
                .as("the refused request's permit was given back")
                .containsExactly(START.plusSeconds(1), START.plusSeconds(2));
        timer.advanceTo(START.plusSeconds(2));
        assertThat(await(third).statusCode()).isEqualTo(200);
        assertThat(await(fourth).statusCode()).isEqualTo(200);
    }

    @Test
    void aBusCheckOfADelayingRuleIsAPlainDecisionThatNeverPassesTheQueue() {
        start(DELAY_RULE);
        assertThat(await(tollgate.checkKey("api", CLIENT, 1)).blocks()).isFalse();
        assertThat(await(tollgate.checkKey("api", CLIENT, 1)).blocks()).isFalse();
        sendWaiting("/api/waits");
        RuleResult checked = await(tollgate.checkKey("api", CLIENT, 1));
        assertThat(checked.blocks()).isTrue();
        assertThat(checked.decision().orElseThrow().delayNanos()).isZero();
        assertThat(checked.decision().orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aShadowDelayingRuleNeverMakesARequestWaitAndRecordsWhatItWouldHaveRefused() {
        start(DELAY_RULE.replace("\"maxQueued\":2", "\"maxQueued\":1,\"shadow\":true"));
        for (int i = 0; i < 6; i++) {
            assertThat(await(send("/api/" + i)).statusCode()).isEqualTo(200);
        }
        assertThat(timer.pending()).isZero();
        assertThat(waiting()).isZero();
        Await.until(() -> events.size() == 6, "six events");
        assertThat(events.stream().filter(RateLimitEvent::shadow).map(RateLimitEvent::path))
                .as("due in 4 s, past maxDelay; the queue bound is not the shadow rule's")
                .containsExactly("/api/5");
        assertThat(events).allMatch(RateLimitEvent::allowed);
    }

    @Test
    void aWindowAlgorithmCannotDelayAndTheRuleSaysWhichCan() {
        String windowed = DELAY_RULE.replace("token-bucket", "sliding-window-counter");
        assertThatThrownBy(() -> start(windowed))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("rules[0].onExceed"))
                .hasMessageContaining("token-bucket, leaky-bucket or gcra");
    }

    /** Opens a connection and sends a GET without waiting for an answer; the socket stays open. */
    private Socket openWaiting(String path) throws IOException {
        Socket socket = fixture.sendWithoutWaiting(server.actualPort(), path);
        return socket;
    }
}
