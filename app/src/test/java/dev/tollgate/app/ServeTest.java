package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ServeTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final Vertx peer = serve.peer();
    private WebClient client;
    private HttpServer upstream;
    private Server server;

    @BeforeEach
    void setUp() {
        client = WebClient.create(peer);
        upstream = serve.upstream(request -> request.body()
                .onSuccess(body -> request.response()
                        .putHeader("X-Upstream", "yes")
                        .end("upstream saw " + request.method() + " " + request.uri() + " with " + body.length()
                                + " bytes")));
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Server start(Path file) {
        server = serve.start(file);
        return server;
    }

    private HttpResponse<Buffer> get(String path) {
        return await(client.get(server.port(), "127.0.0.1", path).send());
    }

    @Test
    void theGatewayLimitsProxiesRecordsAndReports() throws IOException {
        start(config("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 2, window: 1h }
                events: { batchSize: 1, flushInterval: 50ms }
                """.formatted(upstream.actualPort())));

        HttpResponse<Buffer> first =
                await(client.post(server.port(), "127.0.0.1", "/api/items?x=1").sendBuffer(Buffer.buffer("12345")));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.bodyAsString()).isEqualTo("upstream saw POST /api/items?x=1 with 5 bytes");
        assertThat(first.getHeader("X-Upstream")).isEqualTo("yes");
        assertThat(first.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(first.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(get("/api/items").statusCode()).isEqualTo(200);
        HttpResponse<Buffer> limited = get("/api/items");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.getHeader("X-Upstream")).isNull();
        assertThat(get("/static/app.js").getHeader("X-RateLimit-Limit")).isNull();

        Await.until(() -> server.tollgate().metrics().recordedEvents() == 3, "three events recorded");
        JsonObject summary =
                await(server.tollgate().store().orElseThrow().trafficSummary(1)).toJson();
        assertThat(summary.getLong("total")).isEqualTo(3);
        assertThat(summary.getLong("blocked")).isEqualTo(1);

        JsonObject health = get("/health").bodyAsJsonObject();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getString("store")).isEqualTo("memory");
        assertThat(health.getJsonObject("events").getLong("recorded")).isEqualTo(3);

        String metrics = get("/metrics").bodyAsString();
        assertThat(metrics)
                .contains("tollgate_decisions_total{outcome=\"allowed\",rule=\"api\"} 2.0\n")
                .contains("tollgate_decisions_total{outcome=\"blocked\",rule=\"api\"} 1.0\n")
                .contains("tollgate_events_recorded_total 3.0\n")
                .contains("tollgate_events_dropped_total 0.0\n")
                .contains("tollgate_store_append_seconds_count");
    }

    @Test
    void aRuleOfTwoPerMinuteAnswersTwoThenThreeRefusalsAndRecordsFiveEvents() throws IOException {
        start(config("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: two, path: "/api/*", algorithm: sliding-window-log, limit: 2, window: 1m } ]
                events: { batchSize: 1, flushInterval: 50ms }
                """.formatted(upstream.actualPort())));
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        HttpResponse<Buffer> last = null;
        for (int i = 0; i < 5; i++) {
            last = get("/api/orders");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429, 429, 429);
        assertThat(last.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(last.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        long retryAfter = Long.parseLong(last.getHeader("Retry-After"));
        assertThat(retryAfter).isBetween(59L, 60L);
        assertThat(Long.parseLong(last.getHeader("X-RateLimit-Reset")) - System.currentTimeMillis() / 1000)
                .isBetween(58L, 61L);
        Await.until(() -> server.tollgate().metrics().recordedEvents() == 5, "five events recorded");
        dev.tollgate.events.TrafficSummary summary =
                await(server.tollgate().store().orElseThrow().trafficSummary(1));
        assertThat(summary.total()).isEqualTo(5);
        assertThat(summary.blocked()).isEqualTo(3);
        assertThat(await(server.tollgate().store().orElseThrow().ruleHitCounts(1, 10)))
                .containsExactly(new dev.tollgate.events.RuleHits("two", 5, 3));
    }

    @Test
    void theGatewayPassesStatusesHeadersAndBodiesThroughUnchanged() throws IOException {
        HttpServer custom = serve.upstream(request -> request.body()
                .onSuccess(body -> request.response()
                        .setStatusCode(request.path().equals("/missing") ? 404 : 201)
                        .putHeader("X-Custom", "kept")
                        .putHeader("Content-Type", "application/octet-stream")
                        .end(body)));
        start(config("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: api, path: "/*", limit: 100, window: 1m } ]
                """.formatted(custom.actualPort())));
        byte[] payload = new byte[100_000];
        new java.util.Random(7).nextBytes(payload);
        HttpResponse<Buffer> created = await(client.put(server.port(), "127.0.0.1", "/things/1")
                .putHeader("Content-Type", "application/octet-stream")
                .sendBuffer(Buffer.buffer(payload)));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.getHeader("X-Custom")).isEqualTo("kept");
        assertThat(created.getHeader("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(created.body().getBytes()).isEqualTo(payload);
        assertThat(get("/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void servePrunesEventsOlderThanTheRetention() throws IOException {
        start(config("""
                http: { host: 127.0.0.1, port: 0 }
                events: { retentionDays: 30, cleanupEvery: 200ms }
                """));
        dev.tollgate.events.EventStore store = server.tollgate().store().orElseThrow();
        java.util.List<dev.tollgate.events.RateLimitEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            java.time.Instant at = java.time.Instant.now().minus(java.time.Duration.ofDays(i < 3 ? 40 : 1));
            events.add(dev.tollgate.events.RateLimitEvent.builder()
                    .timestamp(at)
                    .key("ip:192.0.2." + i)
                    .path("/api")
                    .method("GET")
                    .allowed(false)
                    .count(2)
                    .limit(1)
                    .build());
        }
        await(store.append(events));
        Await.until(() -> await(store.trafficSummary(365)).total() == 2, "the events older than 30 days pruned");
        assertThat(await(store.topOffenders(365, 10)))
                .extracting(o -> o.key())
                .containsExactlyInAnyOrder("ip:192.0.2.3", "ip:192.0.2.4");
    }

    @Test
    void withoutAnUpstreamTheDemoUpstreamAnswers() throws IOException {
        start(config("http: { host: 127.0.0.1, port: 0 }\n"));
        HttpResponse<Buffer> response = get("/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("Hello from the Tollgate demo upstream");
        assertThat(response.bodyAsJsonObject().getString("path")).isEqualTo("/hello");
    }

    @Test
    void changedRulesApplyWithoutARestartAndABadFileKeepsTheRunningOnes() throws IOException {
        Path file = config("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 1, window: 1h } ]
                """.formatted(upstream.actualPort()));
        start(file);
        assertThat(get("/api/a").getHeader("X-RateLimit-Limit")).isEqualTo("1");

        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 50, window: 1h } ]
                """.formatted(upstream.actualPort()));
        Await.until(() -> "50".equals(get("/api/a").getHeader("X-RateLimit-Limit")), "the new limit");

        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 0, window: 1h } ]
                """.formatted(upstream.actualPort()));
        ConfigWatcher watcher = watcherOf(server);
        Await.until(() -> !watcher.lastError().isEmpty(), "the reload error");
        assertThat(watcher.lastError()).isEqualTo("rules[0].limit: limit must be between 1 and 1000000000, got 0");
        assertThat(get("/api/a").getHeader("X-RateLimit-Limit")).isEqualTo("50");
    }

    @Test
    void aReloadAskedForAppliesTheFileAtOnceWithTheSameChecksAndSaysWhatBecameOfIt() throws IOException {
        String rules = """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: %d, window: 1h } ]
                """;
        Path file = config(rules.formatted(upstream.actualPort(), 1));
        start(file);
        ConfigWatcher watcher = watcherOf(server);
        // from here on only the reloads the test asks for read the file
        watcher.stop();

        assertThat(await(watcher.reloadNow())).isEqualTo("rules in " + file + " unchanged: 1 rule(s) in force");

        Files.writeString(file, rules.formatted(upstream.actualPort(), 50));
        assertThat(await(watcher.reloadNow())).isEqualTo("rules reloaded from " + file + ": 1 rule(s)");
        assertThat(get("/api/a").getHeader("X-RateLimit-Limit")).isEqualTo("50");
        assertThat(watcher.reloads()).isEqualTo(1);

        Files.writeString(file, "");
        String refused = "configuration change in " + file + " not applied: the file is empty; keeping the 1 running"
                + " rule(s)";
        assertThat(await(watcher.reloadNow())).isEqualTo(refused);
        assertThat(await(watcher.reloadNow())).as("asked twice, said twice").isEqualTo(refused);
        assertThat(get("/api/a").getHeader("X-RateLimit-Limit")).isEqualTo("50");

        Files.writeString(file, rules.formatted(upstream.actualPort(), 50));
        assertThat(await(watcher.reloadNow())).isEqualTo(file + " is back as it was; the running rules are its rules");
        assertThat(watcher.lastError()).isEmpty();
    }

    @Test
    void aBadConfigurationExitsWithCodeTwoAndOneMessage() throws IOException {
        Path file = config("rules: [ { name: a, limit: 5, window: -5s } ]\n");
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("tollgate: configuration error: rules[0].window: invalid duration '-5s': "
                        + "a duration must be positive" + System.lineSeparator());
    }

    @Test
    void anUnknownStoreIsAConfigurationErrorListingTheKnownOnes() throws IOException {
        Path file = config("http: { host: 127.0.0.1, port: 0 }\nevents: { store: nosuch }\n");
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "tollgate: configuration error: events.store: unknown event store 'nosuch'; installed: memory");
    }

    @Test
    void anUnknownOptionExitsWithCodeTwo() {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--confg", "x"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--confg', 'x'");
    }

    private static ConfigWatcher watcherOf(Server server) {
        return server.watcher().orElseThrow();
    }
}
