package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vert.x's HTTP and event-bus series as {@link VertxMeters} counts them, over real sockets: by method (a made-up one
 * as {@code OTHER}) and status class, the requests in flight back at zero once each has ended or was reset.
 */
class VertxMetersTest {

    private PrometheusMeterRegistry registry;
    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = ServeMetrics.registry();
        vertx = ServeMetrics.vertx(new VertxOptions(), registry, true).build();
        server = await(vertx.createHttpServer()
                .requestHandler(request -> {
                    switch (request.path()) {
                        case "/missing" -> request.response().setStatusCode(404).end("no");
                        case "/held" -> held.add(request);
                        default ->
                            request.body().onSuccess(body -> request.response().end("seen " + body.length()));
                    }
                })
                .listen(0, "127.0.0.1"));
        client = vertx.createHttpClient();
    }

    @AfterEach
    void tearDown() {
        Await.close(vertx);
        registry.close();
    }

    /** Sends a request and reads its answer whole, on a Vert.x context ({@link Await#awaitOnContext} says why). */
    private HttpClientResponse send(HttpMethod method, String path, String body) {
        return Await.awaitOnContext(
                vertx,
                () -> client.request(new RequestOptions()
                                .setMethod(method)
                                .setPort(server.actualPort())
                                .setHost("127.0.0.1")
                                .setURI(path))
                        .compose(request -> request.send(body))
                        .compose(response -> response.body().map(b -> response)));
    }

    private double count(String name, Map<String, String> tags) {
        Search search = registry.find(name);
        tags.forEach(search::tag);
        return search.meters().stream()
                .mapToDouble(meter -> meter.measure().iterator().next().getValue())
                .sum();
    }

    private double gauge(String name) {
        return registry.find(name).gauges().stream().mapToDouble(g -> g.value()).sum();
    }

    @Test
    void countsEachRequestByMethodAndStatusClassOnTheServerAndTheClient() {
        assertThat(send(HttpMethod.GET, "/", "").statusCode()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/", "").statusCode()).isEqualTo(200);
        assertThat(send(HttpMethod.POST, "/", "twelve bytes").statusCode()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/missing", "").statusCode()).isEqualTo(404);
        assertThat(send(HttpMethod.valueOf("BREW"), "/", "").statusCode()).isEqualTo(200);

        Await.until(() -> count("vertx.http.server.requests", Map.of()) == 5, "the server's five responses counted");
        assertThat(count("vertx.http.server.requests", Map.of("method", "GET", "code", "2xx")))
                .isEqualTo(2);
        assertThat(count("vertx.http.server.requests", Map.of("method", "POST", "code", "2xx")))
                .isEqualTo(1);
        assertThat(count("vertx.http.server.requests", Map.of("method", "GET", "code", "4xx")))
                .isEqualTo(1);
        assertThat(count("vertx.http.server.requests", Map.of("method", "OTHER", "code", "2xx")))
                .as("a method a client makes up is OTHER, not its name")
                .isEqualTo(1);
        assertThat(registry.find("vertx.http.server.requests")
                        .tag("method", "BREW")
                        .meters())
                .isEmpty();
        assertThat(registry.get("vertx.http.server.response.time")
                        .tags("method", "GET", "code", "2xx")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("vertx.http.server.request.bytes")
                        .tags("method", "POST")
                        .summary()
                        .totalAmount())
                .isEqualTo(12);

        assertThat(count("vertx.http.client.requests", Map.of("method", "GET"))).isEqualTo(3);
        assertThat(count("vertx.http.client.responses", Map.of("method", "GET", "code", "4xx")))
                .isEqualTo(1);
        assertThat(registry.get("vertx.http.client.response.time")
                        .tags("method", "POST", "code", "2xx")
                        .timer()
                        .count())
                .isEqualTo(1);
        Await.until(
                () -> gauge("vertx.http.server.active.requests") == 0
                        && gauge("vertx.http.client.active.requests") == 0,
                "no request in flight once every response has ended");
        assertThat(count("vertx.http.server.bytes.read", Map.of())).isPositive();
        assertThat(count("vertx.http.server.bytes.written", Map.of())).isPositive();
        assertThat(count("vertx.http.client.bytes.read", Map.of())).isPositive();
        assertThat(gauge("vertx.http.server.active.connections")).isPositive();
    }

    @Test
    void aRequestResetByItsClientIsCountedAndNoLongerInFlight() {
        client.request(new RequestOptions()
                        .setPort(server.actualPort())
                        .setHost("127.0.0.1")
                        .setURI("/held"))
                .onSuccess(request -> request.send().onFailure(e -> {}));
        Await.until(() -> held.size() == 1, "the server holds the request");
        assertThat(gauge("vertx.http.server.active.requests")).isEqualTo(1);
        assertThat(gauge("vertx.http.client.active.requests")).isEqualTo(1);

        await(client.close());
        Await.until(
                () -> gauge("vertx.http.server.active.requests") == 0,
                "the server's request no longer in flight once its client went");
        assertThat(gauge("vertx.http.client.active.requests")).isZero();
        assertThat(count("vertx.http.server.request.resets", Map.of("method", "GET")))
                .isEqualTo(1);
        assertThat(count("vertx.http.server.requests", Map.of()))
                .as("a request never answered is no response")
                .isZero();
    }

    @Test
    void countsMessagesOnTheEventBusButNotVertxsOwn() {
        List<Object> heard = new CopyOnWriteArrayList<>();
        await(vertx.eventBus()
                .consumer("meters.test", message -> heard.add(message.body()))
                .completion());
        for (int i = 0; i < 3; i++) {
            vertx.eventBus().publish("meters.test", i);
        }
        vertx.eventBus().send("meters.test", 3);
        Await.until(() -> heard.size() == 4, "four messages heard");
        Await.until(() -> count("vertx.eventbus.processed", Map.of("side", "local")) == 4, "four messages processed");

        assertThat(count("vertx.eventbus.published", Map.of("side", "local"))).isEqualTo(3);
        assertThat(count("vertx.eventbus.sent", Map.of("side", "local"))).isEqualTo(1);
        assertThat(count("vertx.eventbus.received", Map.of("side", "local"))).isEqualTo(4);
        assertThat(count("vertx.eventbus.delivered", Map.of("side", "local"))).isEqualTo(4);
        assertThat(registry.get("vertx.eventbus.pending")
                        .tag("side", "local")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("vertx.eventbus.handlers").gauge().value())
                .as("one handler of ours; Vert.x's own addresses not counted")
                .isEqualTo(1);
        assertThat(registry.getMeters().stream()
                        .map(Meter::getId)
                        .filter(id -> id.getName().startsWith("vertx.eventbus"))
                        .flatMap(id -> id.getTags().stream())
                        .map(tag -> tag.getKey())
                        .distinct())
                .as("no label by address")
                .containsOnly("side");
    }
}
