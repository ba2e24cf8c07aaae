package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against a client that tries to walk around it: choosing its own key through forwarding
 * headers, spelling a path so a rule misses it, stalling a connection, or breaking the configuration file
 * under a running server. Every request goes over a real socket, most of them written by hand.
 */
class HostileInputTest {

    /** What the upstream received. */
    record Received(String uri, MultiMap headers) {}

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private Server server;

    @BeforeEach
    void setUp() {
        upstream = serve.upstream(request -> {
            received.add(new Received(
                    request.uri(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers())));
            request.response()
                    .putHeader("Connection", "X-Internal")
                    .putHeader("X-Internal", "secret")
                    .putHeader("Keep-Alive", "timeout=5")
                    .end("upstream saw " + request.uri());
        });
    }

    private int start(String yaml) throws IOException {
        return start("", "", yaml);
    }

    /** Starts the gateway with {@code http} and {@code gateway} settings added to the test's own, then {@code yaml}. */
    private int start(String http, String gateway, String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(
                file,
                "http: { host: 127.0.0.1, port: 0" + http + " }\ngateway: { upstream: " + "\"http://127.0.0.1:"
                        + upstream.actualPort() + "\"" + gateway + " }\n" + yaml);
        server = serve.start(file);
        return server.port();
    }

    @Test
    void aClientBehindATrustedProxyCannotChooseItsKey() throws IOException {
        int port = start("""
                limiter: { trustedProxies: ["127.0.0.1", "::1"], deny: ["203.0.113.66"], allow: ["198.51.100.1"] }
                rules: [ { name: api, path: "/api/*", key: ip, algorithm: fixed-window, limit: 2, window: 1h } ]
                """);
        // the client wrote the first line; its proxy (HAProxy's option forwardfor) added the second
        assertThat(RawHttp.get(port, "/api/a", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 203.0.113.66")
                        .status())
                .as("the denied client, whatever its first line says")
                .isEqualTo(403);
        // Forwarded is not the chosen header: it is ignored, and X-Forwarded-For names the client
        assertThat(RawHttp.get(port, "/api/a", "Forwarded: for=198.51.100.1", "X-Forwarded-For: 203.0.113.66")
                        .status())
                .isEqualTo(403);
        for (int i = 0; i < 2; i++) {
            assertThat(RawHttp.get(port, "/api/a", "Forwarded: for=198.51.100.1", "X-Forwarded-For: 192.0.2.7")
                            .status())
                    .isEqualTo(200);
        }
        assertThat(RawHttp.get(port, "/api/a", "Forwarded: for=198.51.100.1", "X-Forwarded-For: 192.0.2.7")
                        .status())
                .as("the allow list is out of reach through Forwarded")
                .isEqualTo(429);
    }

    @Test
    void everySpellingOfAnAddressSharesOneBudget() throws IOException {
        int port = start("""
                limiter: { trustedProxies: ["127.0.0.1"], clientAddressHeader: x-real-ip }
                rules: [ { name: api, path: "/api/*", key: ip, algorithm: fixed-window, limit: 3, window: 1h } ]
                """);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 2001:db8:0:0::1").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 2001:DB8::1").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: [2001:db8:0:0:0:0:0:1]")
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 2001:db8::0001").status())
                .isEqualTo(429);

        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: ::ffff:198.51.100.7").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 198.51.100.7").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: ::ffff:c633:6407").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 198.51.100.7").status())
                .isEqualTo(429);
        // X-Forwarded-For is not the chosen header here: it cannot name anyone
        assertThat(RawHttp.get(port, "/api/a", "X-Real-IP: 198.51.100.7", "X-Forwarded-For: 192.0.2.99")
                        .status())
                .isEqualTo(429);
    }

    @Test
    void theUpstreamIsToldTheTruthAndHopByHopHeadersStop() throws IOException {
        int port = start("rules: []\n");
        RawHttp.Response response = RawHttp.get(
                port,
                "/orders?x=1",
                "X-Forwarded-For: 6.6.6.6",
                "Forwarded: for=6.6.6.6",
                "X-Real-IP: 6.6.6.6",
                "X-Forwarded-Proto: https",
                "X-Forwarded-Host: evil.example",
                "X-Secret: s",
                "Connection: X-Secret",
                "Keep-Alive: timeout=99",
                "Proxy-Authorization: Basic eDp5",
                "TE: trailers");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Internal"))
                .as("named by the upstream's Connection header")
                .isEmpty();
        assertThat(response.header("Keep-Alive")).isEmpty();
        MultiMap seen = received.get(0).headers();
        assertThat(received.get(0).uri()).isEqualTo("/orders?x=1");
        assertThat(seen.getAll("X-Forwarded-For"))
                .as("a client's own value is dropped")
                .containsExactly("127.0.0.1");
        assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.get("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(seen.names())
                .doesNotContain(
                        "Forwarded",
                        "X-Real-IP",
                        "X-Secret",
                        "Keep-Alive",
                        "Proxy-Authorization",
                        "TE",
                        "forwarded",
                        "x-real-ip",
                        "x-secret",
                        "keep-alive",
                        "te");
    }

    @Test
    void behindATrustedProxyThePeerIsAppendedToTheChain() throws IOException {
        int port = start("limiter: { trustedProxies: [\"127.0.0.1\"] }\nrules: []\n");
        RawHttp.get(
                port,
                "/orders",
                "X-Forwarded-For: 203.0.113.5",
                "X-Forwarded-For: 10.1.1.1",
                "X-Forwarded-Proto: https",
                "X-Forwarded-Host: shop.example");
        MultiMap seen = received.get(0).headers();
        assertThat(seen.getAll("X-Forwarded-For")).containsExactly("203.0.113.5, 10.1.1.1, 127.0.0.1");
        assertThat(seen.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.get("X-Forwarded-Host")).isEqualTo("shop.example");
    }

    @Test
    void aRuleCannotBeDodgedBySpellingThePathAnotherWay() throws IOException {
        int port = start("""
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 5, window: 1h }
                  - { name: admin, path: "/admin/*", ignoreCase: true, algorithm: fixed-window, limit: 1, window: 1h }
                """);
        for (String spelling : List.of("//api/x", "/./api/x", "/foo/../api/x", "/%61pi/x", "/api;p/x")) {
            RawHttp.Response response = RawHttp.get(port, spelling);
            assertThat(response.status()).as(spelling).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Remaining"))
                    .as(spelling + " counted by the api rule")
                    .isPresent();
        }
        assertThat(RawHttp.get(port, "/api/x").status())
                .as("the sixth request, however spelled")
                .isEqualTo(429);
        assertThat(RawHttp.get(port, "/%2e%2e/api/x").status()).isEqualTo(429);
        assertThat(received).extracting(Received::uri).containsOnly("/api/x");

        RawHttp.Response encodedSlash = RawHttp.get(port, "/api%2Fx");
        assertThat(encodedSlash.status()).isEqualTo(400);
        assertThat(encodedSlash.body()).contains("encoded slash");
        assertThat(RawHttp.get(port, "/api%5cx").status()).isEqualTo(400);
        assertThat(received).hasSize(5);

        assertThat(RawHttp.get(port, "/admin/users").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/ADMIN/users").status())
                .as("a rule that ignores case")
                .isEqualTo(429);
        assertThat(server.tollgate().metrics().count("tollgate_http_refused_total", "bad_path"))
                .isEqualTo(2);
    }

    @Test
    void encodedSlashesPassEncodedWhenTheConfigurationKeepsThem() throws IOException {
        int port = start(
                ", encodedSlashes: keep",
                "",
                "rules: [ { name: files, path: \"/files/*\", algorithm: fixed-window, limit: 5, window: 1h } ]\n");
        RawHttp.Response response = RawHttp.get(port, "/files/a%2fb");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-RateLimit-Remaining")).contains("4");
        assertThat(received).extracting(Received::uri).containsExactly("/files/a%2Fb");
    }

    @Test
    void aSilentOrSlowPeerIsAnswered408AndCutOff() throws Exception {
        int port = start(", headerTimeout: 300ms", "", "rules: []\n");

        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            silent.setSoTimeout(30_000);
            RawHttp.Response response = RawHttp.parse(RawHttp.readAll(silent.getInputStream()));
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Connection")).contains("close");
        }

        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
            slow.setSoTimeout(30_000);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /orders HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder answer = new StringBuilder();
            // one header every 100 ms, until the server answers and closes
            for (int i = 0; i < 600 && answer.indexOf("\r\n\r\n") < 0; i++) {
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                while (in.available() > 0) {
                    answer.append((char) in.read());
                }
            }
            answer.append(RawHttp.readAll(in));
            assertThat(RawHttp.parse(answer.toString()).status()).isEqualTo(408);
        }
        assertThat(server.tollgate().metrics().count("tollgate_http_refused_total", "header_timeout"))
                .isEqualTo(2);
        assertThat(received).isEmpty();
        assertThat(RawHttp.get(port, "/orders").status())
                .as("a prompt client is served")
                .isEqualTo(200);

        // a kept-alive connection: a prompt first request, then a second whose headers dribble in
        try (Socket kept = new Socket(InetAddress.getLoopbackAddress(), port)) {
            kept.setSoTimeout(30_000);
            OutputStream out = kept.getOutputStream();
            InputStream in = kept.getInputStream();
            out.write("GET /orders HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder first = new StringBuilder();
            while (first.indexOf("\r\n\r\n") < 0) {
                first.append((char) in.read());
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(first);
            assertThat(length.find()).as(first.toString()).isTrue();
            in.readNBytes(Integer.parseInt(length.group(1)));
            assertThat(first.toString()).startsWith("HTTP/1.1 200");
            Thread.sleep(200);
            out.write("GET /orders HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder second = new StringBuilder();
            for (int i = 0; i < 600 && second.indexOf("\r\n\r\n") < 0; i++) {
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                while (in.available() > 0) {
                    second.append((char) in.read());
                }
            }
            second.append(RawHttp.readAll(in));
            assertThat(RawHttp.parse(second.toString()).status()).isEqualTo(408);
        }
        assertThat(server.tollgate().metrics().count("tollgate_http_refused_total", "header_timeout"))
                .isEqualTo(3);
    }

    @Test
    void aSilentUpstreamGets504WithAClearBody() throws IOException {
        await(upstream.close());
        upstream = serve.upstream(request -> {
            // takes the request and never answers
        });
        try (LogCapture log = LogCapture.start()) {
            int port = start("", ", timeout: 300ms", "rules: []\n");
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = RawHttp.get(port, "/slow");
                assertThat(response.status()).isEqualTo(504);
                assertThat(response.body()).contains("the upstream sent nothing for 300 ms");
            }
            assertThat(server.tollgate().metrics().count("tollgate_gateway_errors_total", "timeout"))
                    .isEqualTo(3);
            assertThat(log.lines(Level.WARNING, "the upstream"))
                    .as("one line per 10 s, not one per request")
                    .hasSize(1);
        }
    }

    @Test
    void anUpstreamThatAcceptsNoConnectionGets504() throws Exception {
        // a listening socket that never accepts: once its queue is full, the kernel drops new connection attempts
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(full.getLocalSocketAddress(), 200);
                        queued.add(socket);
                    } catch (IOException timedOut) {
                        socket.close();
                        break;
                    }
                }
                await(upstream.close());
                Path file = dir.resolve("tollgate.yaml");
                Files.writeString(
                        file,
                        "http: { host: 127.0.0.1, port: 0 }\ngateway: { upstream: \"http://127.0.0.1:"
                                + full.getLocalPort() + "\", connectTimeout: 300ms }\nrules: []\n");
                server = serve.start(file);
                RawHttp.Response response = RawHttp.get(server.port(), "/orders");
                assertThat(response.status()).isEqualTo(504);
                assertThat(response.body()).contains("the upstream did not accept a connection within 300 ms");
                assertThat(server.tollgate().metrics().count("tollgate_gateway_errors_total", "connect_timeout"))
                        .isEqualTo(1);
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aKeptAliveConnectionIdlePastTheIdleTimeoutIsClosed() throws Exception {
        int port = start(", idleTimeout: 300ms", "", "rules: []\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write("GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the answer, then nothing: the server closes the idle connection and the read ends
            RawHttp.Response response = RawHttp.parse(RawHttp.readAll(socket.getInputStream()));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("upstream saw /orders");
        }
    }

    @Test
    void aReloadNeverSwitchesLimitsOffByAccident() throws Exception {
        int port = start("rules: [ { name: api, path: \"/api/*\", algorithm: fixed-window, limit: 1, window: 1h } ]\n");
        Path file = dir.resolve("tollgate.yaml");
        String head = "http: { host: 127.0.0.1, port: 0 }\n";
        ConfigWatcher watcher = server.watcher().orElseThrow();
        assertThat(RawHttp.get(port, "/api/a").status()).isEqualTo(200);
        try (LogCapture log = LogCapture.start()) {
            Files.writeString(file, "");
            Await.until(() -> watcher.lastError().equals("the file is empty"), "the empty file refused");
            Files.writeString(file, head + "rules: [ { name: api, path: \"/api/*\", alg");
            Await.until(() -> watcher.lastError().contains("not valid YAML"), "the half-written file refused");
            Files.writeString(file, head);
            Await.until(() -> watcher.lastError().contains("no 'rules' key"), "the file without rules refused");
            Files.delete(file);
            Await.until(() -> watcher.lastError().equals("the file is gone"), "the deleted file refused");
            Files.writeString(file, "a: &a [*a]\nrules: []\n");
            Await.until(() -> watcher.lastError().contains("contains itself"), "the self-reference refused");
            assertThat(RawHttp.get(port, "/api/a").status()).as("still limited").isEqualTo(429);
            assertThat(log.lines(Level.WARNING, "not applied")).hasSize(5);
            assertThat(log.lines(Level.WARNING, "not applied"))
                    .allMatch(l -> l.endsWith("keeping the 1 running rule(s)"));

            Files.writeString(file, head + "rules: []\n");
            Await.until(() -> server.tollgate().rules().isEmpty(), "an explicit rules: [] applied");
            assertThat(RawHttp.get(port, "/api/a").status()).isEqualTo(200);
        }
    }

    @Test
    void anAliasBombOrASelfReferenceIsOneLineAtStart() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(previous)
                    .append(", *")
                    .append(previous)
                    .append(", *")
                    .append(previous)
                    .append(", *")
                    .append(previous)
                    .append(", *")
                    .append(previous)
                    .append("]\n");
        }
        assertThat(startFails(bomb + "rules: []\n"))
                .startsWith("tollgate: configuration error: ")
                .contains("expands to more than");
        assertThat(startFails("a: &a [1, *a]\nrules: []\n")).contains("contains itself");
        assertThat(startFails("a: &a {b: *a}\nrules: []\n")).contains("contains itself");
        assertThat(startFails("rules: " + "[".repeat(200) + "]".repeat(200) + "\n"))
                .contains("not valid YAML");
    }

    private String startFails(String yaml) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("Exception");
        return err.toString();
    }
}
