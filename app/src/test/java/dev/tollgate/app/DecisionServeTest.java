package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import dev.tollgate.web.PasswordHash;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with the decision service: its settings, its API on the gateway's port and its own, the token command. */
class DecisionServeTest {

    private static final String TOKEN = "a-service-token-for-the-checkout-service-0123456789";

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final List<String> upstreamSaw = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private WebClient client;

    @BeforeEach
    void setUp() {
        upstream = serve.upstream(request -> {
            upstreamSaw.add(request.path());
            request.response().end("upstream");
        });
        client = WebClient.create(serve.peer());
    }

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(
                file,
                "http: { host: 127.0.0.1, port: 0, instances: 2 }\n"
                        + "gateway: { upstream: \"http://127.0.0.1:" + upstream.actualPort() + "\" }\n"
                        + "rules: [ { name: jobs, algorithm: fixed-window, limit: 1, window: 1h } ]\n"
                        + yaml);
        return file;
    }

    private static String tokens() {
        // few iterations: the test counts answers, not time
        return "  tokens: [ { name: checkout, hash: \""
                + PasswordHash.of(TOKEN.toCharArray(), 1_000).format() + "\" } ]\n";
    }

    private HttpResponse<Buffer> check(int port, String token) {
        return await(client.post(port, "127.0.0.1", "/ratelimit/v1/check")
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + token)
                .sendBuffer(
                        new JsonObject().put("rule", "jobs").put("key", "job:1").toBuffer()));
    }

    @Test
    void theGatewayAnswersChecksItselfAndTheOwnListenerAndBridgeOpen() throws IOException {
        Server server = serve.start(file("decision:\n" + tokens() + "  port: 0\n  bridgePort: 0\n"));

        HttpResponse<Buffer> first = check(server.port(), TOKEN);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.bodyAsJsonObject().getBoolean("allowed")).isTrue();
        assertThat(first.getHeader("X-RateLimit-Limit")).isEqualTo("1");
        HttpResponse<Buffer> second = check(server.decision().port().orElseThrow(), TOKEN);
        assertThat(second.bodyAsJsonObject().getBoolean("allowed"))
                .as("the own listener checks the same limits")
                .isFalse();
        assertThat(check(server.port(), "wrong").statusCode()).isEqualTo(401);
        HttpResponse<Buffer> elsewhere = await(
                client.get(server.port(), "127.0.0.1", "/ratelimit/v1/other").send());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(upstreamSaw).as("nothing under /ratelimit/v1/ goes upstream").isEmpty();
        assertThat(server.decision().bridgePort()).isPresent();
        await(client.get(server.port(), "127.0.0.1", "/api/x").send());
        assertThat(upstreamSaw).containsExactly("/api/x");
    }

    @Test
    void withoutTokensTheServiceIsOffAndStartingSaysSoOnce() throws IOException {
        try (LogCapture log = LogCapture.start()) {
            Server server = serve.start(file("decision: { port: 0, bridgePort: 0 }\n"));

            assertThat(server.decision().port()).isEmpty();
            assertThat(server.decision().bridgePort()).isEmpty();
            assertThat(check(server.port(), TOKEN).statusCode()).isEqualTo(404);
            assertThat(upstreamSaw).isEmpty();
            assertThat(log.lines(Level.WARNING, "the decision service is off")).hasSize(1);
        }
    }

    /** The message of the settings problem that stops {@code serve} on {@code yaml}, whoever finds it. */
    private String problem(String yaml) throws IOException {
        Path file = file(yaml);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> serve.start(file));
        while (thrown != null && !(thrown instanceof SettingsException)) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).as("a settings problem for " + yaml).isNotNull();
        return thrown.getMessage();
    }

    @Test
    void aBadSettingFailsTheStartWithOneLineNamingTheKey() throws IOException {
        assertThat(problem("decision: { tokens: [ { name: checkout, hash: nope } ] }\n"))
                .startsWith("decision.tokens[0].hash: expected pbkdf2-sha256:ITERATIONS:SALT:HASH");
        assertThat(problem("decision: { tokens: [ { hash: x } ] }\n")).startsWith("decision.tokens[0].name:");
        assertThat(problem("decision: { port: http }\n")).startsWith("decision.port:");
        assertThat(problem("decision: { tokens: checkout }\n"))
                .isEqualTo("decision.tokens: expected a list of groups of keys, as in tokens: [ { ... } ]");
        assertThat(problem("decision: { prot: 1 }\n"))
                .isEqualTo(
                        "decision.prot: unknown key; known under decision: bridgePort, envoy, grpcPort, port, tokens");
        assertThat(problem("decision:\n" + tokens().replace("checkout,", "checkout, x: 1,")))
                .startsWith("decision.tokens[0].x: unknown setting of the service token");
        assertThat(problem("decision:\n" + tokens() + "  bridgePort: " + upstream.actualPort() + "\n"))
                .startsWith("decision.bridgePort: cannot listen on 127.0.0.1:" + upstream.actualPort());
    }

    @Test
    void envoyAsksOnTheGrpcPortUnderTheLimitsFileAndTheDecisionsAreRecorded() throws IOException {
        Files.writeString(dir.resolve("limits.yaml"), """
                domain: edge
                descriptors:
                  - key: remote_address
                    rate_limit: { unit: minute, requests_per_unit: 2 }
                """);
        Server server = serve.start(file("""
                decision: { grpcPort: 0, envoy: { config: limits.yaml } }
                events: { batchSize: 1, flushInterval: 50ms }
                """));
        int port = server.envoyPort().orElseThrow();

        assertThat(List.of(
                        shouldRateLimit(port, "edge", "remote_address", "10.0.0.1"),
                        shouldRateLimit(port, "edge", "remote_address", "10.0.0.1"),
                        shouldRateLimit(port, "edge", "remote_address", "10.0.0.1"),
                        shouldRateLimit(port, "edge", "remote_address", "10.0.0.2")))
                .as("overall_code: 1 OK, 2 OVER_LIMIT")
                .containsExactly(1, 1, 2, 1);
        dev.tollgate.test.support.Await.until(
                () -> server.tollgate().metrics().recordedEvents() == 4, "the four decisions recorded");
        assertThat(await(server.tollgate().store().orElseThrow().ruleHitCounts(1, 10)))
                .as("per descriptor, as the dashboard shows them")
                .containsExactly(new dev.tollgate.events.RuleHits("edge.remote_address", 4, 1, 0));
        assertThat(await(server.tollgate().store().orElseThrow().offenderDetail("edge.remote_address_10.0.0.1", 1, 10))
                        .recentEvents())
                .extracting(dev.tollgate.events.OffenderDetail.RecentEvent::method)
                .containsOnly("ENVOY");
    }

    @Test
    void theEnvoyServiceSettingsAreCheckedAtStart() throws IOException {
        Files.writeString(dir.resolve("limits.yaml"), "domain: edge\ndescriptors: [ { key: k, unlimited: yes } ]\n");
        assertThat(problem("decision: { envoy: { config: limits.yaml } }\n"))
                .startsWith("decision.envoy: applies only with decision.grpcPort");
        assertThat(problem("decision: { grpcPort: 0 }\n")).startsWith("decision.envoy.config: missing");
        assertThat(problem("decision: { grpcPort: 0, envoy: { config: nowhere.yaml } }\n"))
                .startsWith("decision.envoy.config: cannot read");
        assertThat(problem("decision: { grpcPort: 0, envoy: { config: limits.yaml, domain: edge } }\n"))
                .startsWith("decision.envoy.domain: unknown setting of the Envoy rate-limit service");
        assertThat(problem("decision: { grpcPort: 0, envoy: { config: limits.yaml, callTimeout: soon } }\n"))
                .startsWith("decision.envoy.callTimeout:");
        Files.writeString(dir.resolve("limits.yaml"), "domain: edge\ndescriptors: [ { key: k, rate_limit: 5 } ]\n");
        assertThat(problem("decision: { grpcPort: 0, envoy: { config: limits.yaml } }\n"))
                .startsWith("decision.envoy.config: ")
                .contains("limits.yaml")
                .contains("rate_limit");
    }

    /**
     * Envoy's {@code ShouldRateLimit} for one descriptor of one entry, over clear-text HTTP/2 as Envoy sends it; the
     * answer's {@code overall_code}. The request is written by hand from rls.proto's field numbers: domain 1,
     * descriptors 2 (entries 1: key 1, value 2); the answer's overall_code is its field 1.
     */
    private int shouldRateLimit(int port, String domain, String key, String value) {
        Buffer entry = field(1, Buffer.buffer(key)).appendBuffer(field(2, Buffer.buffer(value)));
        Buffer message = field(1, Buffer.buffer(domain)).appendBuffer(field(2, field(1, entry)));
        Buffer framed =
                Buffer.buffer().appendByte((byte) 0).appendInt(message.length()).appendBuffer(message);
        io.vertx.core.http.HttpClient http = serve.peer()
                .createHttpClient(new io.vertx.core.http.HttpClientOptions()
                        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false));
        try {
            // read whole on a Vert.x context (Await.awaitOnContext says why)
            Buffer answer = Await.awaitOnContext(
                    serve.peer(),
                    () -> http.request(
                                    io.vertx.core.http.HttpMethod.POST,
                                    port,
                                    "127.0.0.1",
                                    "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
                            .compose(request -> request.putHeader("content-type", "application/grpc")
                                    .putHeader("te", "trailers")
                                    .send(framed))
                            .compose(response -> {
                                assertThat(response.statusCode()).isEqualTo(200);
                                return response.body();
                            }));
            assertThat(answer.getByte(5)).as("field 1, varint").isEqualTo((byte) 0x08);
            return answer.getByte(6);
        } finally {
            await(http.close());
        }
    }

    /** A length-delimited protobuf field: its tag, its length (under 128 here) and its bytes. */
    private static Buffer field(int number, Buffer bytes) {
        assertThat(bytes.length()).isLessThan(128);
        return Buffer.buffer()
                .appendByte((byte) (number << 3 | 2))
                .appendByte((byte) bytes.length())
                .appendBuffer(bytes);
    }

    @Test
    void theTokenCommandPrintsATokenOnceAndTheEntryThatVerifiesIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"token", "checkout"},
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of());

        assertThat(code).as(err.toString()).isZero();
        Matcher token = Pattern.compile("\\n  ([A-Za-z0-9_-]{43})\\n").matcher(out.toString());
        assertThat(token.find()).as(out.toString()).isTrue();
        Matcher hash =
                Pattern.compile("- \\{ name: checkout, hash: \"([^\"]+)\" }").matcher(out.toString());
        assertThat(hash.find()).as(out.toString()).isTrue();
        PasswordHash parsed = PasswordHash.parse(hash.group(1));
        assertThat(parsed.matches(token.group(1).toCharArray())).isTrue();
        assertThat(out.toString()).doesNotContain("pbkdf2-sha256:" + token.group(1));

        StringWriter badErr = new StringWriter();
        int bad = Main.run(
                new String[] {"token", "not a name"},
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(badErr, true),
                Map.of());
        assertThat(bad).isEqualTo(2);
        assertThat(badErr.toString()).isNotBlank();
    }
}
