package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The probes on a listener of their own or under other paths, and the gateway over TLS. */
class ManagementAndTlsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final Vertx peer = serve.peer();
    private final List<MultiMap> seen = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private Server server;

    @BeforeEach
    void setUp() {
        upstream = serve.upstream(request -> {
            seen.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
            request.response().end("upstream saw " + request.path());
        });
    }

    private Server start(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, "gateway: { upstream: \"http://127.0.0.1:" + upstream.actualPort() + "\" }\n" + yaml);
        server = serve.start(file);
        return server;
    }

    @Test
    void onTheirOwnPortTheProbesLeaveTheUpstreamsHealthReachable() throws IOException {
        start("""
                http: { host: 127.0.0.1, port: 0 }
                management: { port: 0, paths: { health: /_tollgate/health } }
                """);
        int management = server.managementPort().orElseThrow();
        assertThat(management).isNotEqualTo(server.port());
        assertThat(RawHttp.get(server.port(), "/health").body()).isEqualTo("upstream saw /health");
        assertThat(RawHttp.get(server.port(), "/metrics").body()).isEqualTo("upstream saw /metrics");
        assertThat(new JsonObject(RawHttp.get(management, "/_tollgate/health").body()).getString("status"))
                .isEqualTo("UP");
        assertThat(RawHttp.get(management, "/metrics").body()).contains("tollgate_decisions_total");
        assertThat(RawHttp.get(management, "/health").status()).isEqualTo(404);
    }

    @Test
    void onTheGatewaysPortTheProbesAnswerAtTheirConfiguredPaths() throws IOException {
        start("""
                http: { host: 127.0.0.1, port: 0 }
                management: { paths: { health: /_status, metrics: /_metrics } }
                """);
        assertThat(server.managementPort()).isEmpty();
        assertThat(new JsonObject(RawHttp.get(server.port(), "/_status").body()).getString("status"))
                .isEqualTo("UP");
        assertThat(RawHttp.get(server.port(), "/_metrics").body()).contains("tollgate_events_recorded_total");
        assertThat(RawHttp.get(server.port(), "/health").body()).isEqualTo("upstream saw /health");
    }

    @Test
    void theGatewayServesTlsAndTellsTheUpstreamSo() throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        certificate.toString(),
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0)
                .as("openssl made a certificate")
                .isTrue();
        start("""
                http: { host: 127.0.0.1, port: 0, tls: { certificate: cert.pem, key: key.pem } }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 5, window: 1h } ]
                """);
        WebClient https = WebClient.create(
                peer, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        HttpResponse<Buffer> response =
                await(https.get(server.port(), "127.0.0.1", "/api/orders").send());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("X-RateLimit-Remaining")).isEqualTo("4");
        assertThat(seen.get(0).get("X-Forwarded-Proto")).isEqualTo("https");

        WebClient plain = WebClient.create(peer);
        io.vertx.core.Future<HttpResponse<Buffer>> clear =
                plain.get(server.port(), "127.0.0.1", "/api/orders").send();
        Await.until(clear::isComplete, "the plain request ended");
        assertThat(clear.succeeded() && clear.result().statusCode() == 200)
                .as("plain HTTP served on the TLS port")
                .isFalse();
    }

    @Test
    void aCertificateWithoutItsKeyIsOneConfigurationLine() throws IOException {
        Path file = dir.resolve("half.yaml");
        Files.writeString(file, "http: { host: 127.0.0.1, port: 0, tls: { certificate: cert.pem } }\n");
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("tollgate: configuration error: http.tls.key: TLS needs both "
                        + "http.tls.certificate and http.tls.key (PEM files)" + System.lineSeparator());
    }
}
