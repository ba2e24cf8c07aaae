package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.plugin.SettingsException;
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
        Server server = serve.start(file("decision:\n" + tokens() + "  port: 0\n  bridgePort: 0\n"
                + "  grpcPort: 0\n  envoy: { domain: checkout }\n"));

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
