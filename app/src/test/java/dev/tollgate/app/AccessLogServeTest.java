package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.monitor.LogMonitor;
import dev.tollgate.monitor.MonitorOptions;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests through a real {@code serve} with {@code accessLog.path} set, the log then read by the monitor. */
class AccessLogServeTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final Vertx peer = serve.peer();
    private final WebClient client = WebClient.create(peer);
    private HttpServer upstream;
    private Server server;
    private Path log;

    @BeforeEach
    void setUp() {
        upstream = serve.upstream(request -> request.response().end("upstream saw " + request.path()));
        log = dir.resolve("logs/access.log");
    }

    private void start(String format) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 2, window: 1h }
                  - { name: trial, path: "/trial/*", algorithm: fixed-window, limit: 1, window: 1h, shadow: true }
                accessLog: { path: logs/access.log, format: %s }
                """.formatted(upstream.actualPort(), format));
        server = serve.start(file);
    }

    private int get(String path) {
        return await(client.get(server.port(), "127.0.0.1", path)
                        .putHeader("User-Agent", "access-log-test")
                        .send())
                .statusCode();
    }

    private List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"combined", "csv"})
    void everyRequestThroughServeIsOneLineWithItsOutcomeAndTheMonitorCountsThemAll(String format) throws IOException {
        start(format);
        assertThat(List.of(
                        get("/api/items"),
                        get("/api/items"),
                        get("/api/items"),
                        get("/trial/a"),
                        get("/trial/b"),
                        get("/static/app.js")))
                .containsExactly(200, 200, 429, 200, 200, 200);
        int header = format.equals("csv") ? 1 : 0;
        Await.until(
                () -> lines().size() == 6 + header,
                "six requests logged",
                Await.CONDITION_LIMIT,
                () -> String.join("\n", lines()));

        List<String> lines = lines();
        String pattern = format.equals("csv") ? ".*,\"%s\",[0-9]+" : ".* outcome=%s ms=[0-9]+";
        assertThat(lines)
                .filteredOn(l -> l.matches(pattern.formatted("allowed")))
                .hasSize(3);
        assertThat(lines)
                .filteredOn(l -> l.matches(pattern.formatted("blocked")))
                .hasSize(1);
        assertThat(lines)
                .filteredOn(l -> l.matches(pattern.formatted("shadow_blocked")))
                .hasSize(1);
        assertThat(lines).filteredOn(l -> l.matches(pattern.formatted("-"))).hasSize(1);
        // Lines are written as responses end; two requests on different event loops may end in either order.
        assertThat(lines)
                .filteredOn(l -> l.matches(pattern.formatted("blocked")))
                .singleElement()
                .asString()
                .contains("/api/items", "429", "access-log-test", "api");

        AccessLogReadBack read = AccessLogReadBack.read(log, format);
        assertThat(read.summary().badLines()).as(read.err()).isZero();
        assertThat(read.summary().records()).isEqualTo(6);
        assertThat(read.summary().statusCodes()).isEqualTo(Map.of(200, 5L, 429, 1L));
        assertThat(read.records()).extracting(r -> r.host()).containsOnly("127.0.0.1");
        assertThat(read.records())
                .extracting(r -> r.path())
                .containsExactlyInAnyOrder(
                        "/api/items", "/api/items", "/api/items", "/trial/a", "/trial/b", "/static/app.js");
        assertThat(read.records())
                .filteredOn(r -> r.path().equals("/api/items"))
                .extracting(r -> r.bytes())
                .contains((long) "upstream saw /api/items".length());
    }

    @Test
    void theMonitorFollowsTheLogAsServeWritesIt() throws Exception {
        start("combined");
        AtomicInteger records = new AtomicInteger();
        LogMonitor monitor = LogMonitor.create(MonitorOptions.builder()
                .file(log)
                .follow(true)
                .timeout(Duration.ofSeconds(1))
                .progress(MonitorOptions.Progress.NEVER)
                .recordListener((record, late) -> records.incrementAndGet())
                .build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> monitor.run(
                InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        try {
            for (int i = 0; i < 5; i++) {
                get("/api/items");
            }
            Await.until(() -> records.get() == 5, "the monitor read five requests");
            get("/static/a.css");
            get("/static/b.css");
            Await.until(() -> records.get() == 7, "the monitor read two more");
        } finally {
            monitor.stop();
        }
        assertThat(run.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("7 requests, 0 bad");
    }

    @Test
    void aHostilePathUserAgentAndRefererStayInTheirFieldsOfOneLineTheMonitorReads() throws IOException {
        start("combined");
        // Vert.x refuses raw control characters before any handler; CR and LF are covered by AccessLogFormatTest
        RawHttp.Response response = RawHttp.get(
                server.port(),
                "/api/a'b%22?q=%0D%0A\\",
                "User-Agent: evil\" 200 1 \"-\" \"x\\\"\u00e9",
                "Referer: \" 203.0.113.9 - - [07/Feb/2019:21:12:37 +0000] \"GET /forged HTTP/1.1\" 200 1");
        assertThat(response.status()).isEqualTo(200);
        Await.until(() -> lines().size() == 1, "one request logged");

        String line = lines().get(0);
        assertThat(line)
                .doesNotContain("\\\"")
                .contains(
                        "\"GET /api/a'b%22?q=%0D%0A\\x5C HTTP/1.1\" 200 ",
                        "\"\\x22 203.0.113.9 - - [07/Feb/2019:21:12:37 +0000] \\x22GET /forged HTTP/1.1\\x22 200 1\"",
                        "\"evil\\x22 200 1 \\x22-\\x22 \\x22x\\x5C\\x22\\xE9\" rule=\"api\" outcome=allowed ms=");
        assertThat(line.chars()).allMatch(c -> c >= ' ' && c < 0x7f);
        AccessLogReadBack read = AccessLogReadBack.read(log, "combined");
        assertThat(read.summary().badLines()).as(read.err()).isZero();
        assertThat(read.summary().records()).isEqualTo(1);
        assertThat(read.records().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(read.records().get(0).status()).isEqualTo(200);
        assertThat(read.records().get(0).path()).isEqualTo("/api/a'b%22?q=%0D%0Ax5C");
    }

    @Test
    void aRequestVertxRefusesBeforeAnyHandlerIsLoggedWithItsStatus() throws IOException {
        start("combined");
        RawHttp.Response response = RawHttp.get(server.port(), "/api/x", "User-Agent: evil\u0001\"");
        assertThat(response.status()).isEqualTo(400);
        Await.until(() -> lines().size() == 1, "one request logged");

        String line = lines().get(0);
        assertThat(line).contains("\" 400 ", " rule=\"-\" outcome=- ms=");
        assertThat(line.chars()).allMatch(c -> c >= ' ' && c < 0x7f);
        AccessLogReadBack read = AccessLogReadBack.read(log, "combined");
        assertThat(read.summary().badLines()).as(read.err()).isZero();
        assertThat(read.summary().statusCodes()).isEqualTo(Map.of(400, 1L));
    }

    @Test
    void aLogThatCannotBeWrittenStopsServeWithTheKeyNamed() throws IOException {
        Files.writeString(dir.resolve("logs"), "a file where the folder should be");
        assertThatThrownBy(() -> start("combined"))
                .cause()
                .isInstanceOf(SettingsException.class)
                .hasMessage("accessLog.path: cannot write " + log + ": " + dir.resolve("logs")
                        + " is a file, not a folder");
    }
}
