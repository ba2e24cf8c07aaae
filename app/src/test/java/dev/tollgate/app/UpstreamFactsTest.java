package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventQuery;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's events carry the user agent and, for served requests, the upstream's status and latency. */
class UpstreamFactsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final Vertx peer = serve.peer();
    private WebClient client;
    private Server server;

    @BeforeEach
    void setUp() {
        client = WebClient.create(peer);
    }

    private Server start(int upstreamPort) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 1, window: 1h }
                events: { batchSize: 1, flushInterval: 50ms }
                """.formatted(upstreamPort));
        server = serve.start(file);
        return server;
    }

    private HttpResponse<Buffer> get(String path, String userAgent) {
        return await(client.get(server.port(), "127.0.0.1", path)
                .putHeader("User-Agent", userAgent)
                .send());
    }

    private List<RateLimitEvent> recorded(int count) {
        Await.until(() -> server.tollgate().metrics().recordedEvents() == count, count + " events recorded");
        return await(server.tollgate().store().orElseThrow().events(EventQuery.all())).events().stream()
                .sorted(Comparator.comparing(RateLimitEvent::timestamp))
                .toList();
    }

    @Test
    void aServedRequestRecordsTheUpstreamsStatusAndLatencyAndABlockedOneNeither() throws IOException {
        // the upstream takes its time to answer 503: the event waits for it
        HttpServer upstream = serve.upstream(request ->
                peer.setTimer(30, id -> request.response().setStatusCode(503).end("busy")));
        start(upstream.actualPort());

        assertThat(get("/api/orders", "curl/8.5.0").statusCode()).isEqualTo(503);
        assertThat(get("/api/orders", "bad-bot/1.0").statusCode()).isEqualTo(429);

        List<RateLimitEvent> events = recorded(2);
        RateLimitEvent served = events.get(0);
        assertThat(served.allowed()).isTrue();
        assertThat(served.userAgent()).contains("curl/8.5.0");
        assertThat(served.upstreamStatus()).isEqualTo(OptionalInt.of(503));
        assertThat(served.upstreamLatency())
                .hasValueSatisfying(latency -> assertThat(latency).isGreaterThanOrEqualTo(Duration.ZERO));
        RateLimitEvent blocked = events.get(1);
        assertThat(blocked.blocked()).isTrue();
        assertThat(blocked.userAgent()).contains("bad-bot/1.0");
        assertThat(blocked.upstreamStatus()).isEmpty();
        assertThat(blocked.upstreamLatency()).isEmpty();
    }

    @Test
    void anUpstreamThatCannotBeReachedLeavesTheUpstreamFactsAbsentAndTheEventRecordedOnce() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        start(closed);

        assertThat(get("/api/orders", "curl/8.5.0").statusCode()).isEqualTo(502);

        List<RateLimitEvent> events = recorded(1);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).allowed()).isTrue();
        assertThat(events.get(0).userAgent()).contains("curl/8.5.0");
        assertThat(events.get(0).upstreamStatus()).isEmpty();
        assertThat(events.get(0).upstreamLatency()).isEmpty();
    }
}
