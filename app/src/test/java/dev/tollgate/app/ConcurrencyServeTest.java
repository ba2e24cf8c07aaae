package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency rules in the {@code serve} gateway, over real sockets: an upstream that begins its answers and then
 * hangs holds requests in flight; the gateway admits the limit, refuses the next, and gets every slot back when the
 * clients close their connections mid-response, or when the upstream finally answers.
 */
class ConcurrencyServeTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final Vertx peer = serve.peer();
    /** Requests the upstream has begun to answer and holds. */
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    private final List<Socket> sockets = new ArrayList<>();
    private WebClient client;
    private Server server;

    @BeforeEach
    void setUp() {
        client = WebClient.create(peer);
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void start(String rule) throws IOException {
        HttpServer upstream = serve.upstream(request -> {
            request.response().setChunked(true).write("partial ");
            held.add(request);
        });
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - %s
                """.formatted(upstream.actualPort(), rule));
        server = serve.start(file);
    }

    /** Sends a GET on a new connection and reads until the upstream's answer has begun; the socket stays open. */
    private Socket openSlow(String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("partial")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the gateway closed the connection after: " + seen);
            }
            seen.append((char) b);
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }

    private long inFlight(String rule, String key) {
        return await(server.tollgate().peekKey(rule, key))
                .decision()
                .orElseThrow()
                .count();
    }

    private void awaitInFlight(String rule, String key, long expected) {
        Await.until(() -> inFlight(rule, key) == expected, rule + " holding " + expected + " slot(s)");
    }

    private HttpResponse<Buffer> get(String path) {
        return await(client.get(server.port(), "127.0.0.1", path).send());
    }

    @Test
    void admitsTheLimitRefusesTheNextWith503AndGetsEverySlotBackWhenClientsCloseMidResponse() throws IOException {
        start("{ name: upstream, path: \"/api/*\", kind: concurrency, key: global, limit: 3, status: 503 }");
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(openSlow("/api/report/" + i));
        }
        assertThat(inFlight("upstream", "global:all")).isEqualTo(3);

        HttpResponse<Buffer> refused = get("/api/report/3");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(held).as("the refused request never reached the upstream").hasSize(3);

        for (Socket socket : open) {
            socket.close();
        }
        awaitInFlight("upstream", "global:all", 0);
        openSlow("/api/report/again");
        assertThat(inFlight("upstream", "global:all")).isEqualTo(1);
    }

    @Test
    void aSlotComesBackWhenTheUpstreamFinishesItsAnswer() throws IOException {
        start("{ name: per-client, path: \"/api/*\", kind: concurrency, limit: 1 }");
        Socket socket = openSlow("/api/report");
        assertThat(get("/api/other").statusCode()).isEqualTo(429);
        HttpServerRequest request = held.get(0);
        request.response().end("done");
        InputStream in = socket.getInputStream();
        // the chunked answer's last chunk
        StringBuilder rest = new StringBuilder();
        while (!rest.toString().endsWith("0\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the answer's end, after: " + rest).isNotNegative();
            rest.append((char) b);
        }
        awaitInFlight("per-client", "ip:127.0.0.1", 0);
    }

    @Test
    void aSlotComesBackWhenTheUpstreamDropsTheConnection() throws IOException {
        start("{ name: per-client, path: \"/api/*\", kind: concurrency, limit: 1 }");
        openSlow("/api/report");
        held.get(0).connection().close();
        awaitInFlight("per-client", "ip:127.0.0.1", 0);
    }
}
