package dev.tollgate.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP event-bus bridge over real sockets: a Python client with nothing but the framing asks for decisions and hears
 * {@code tollgate.stats}; wrong tokens, forbidden addresses and oversized frames are refused.
 */
class BusBridgeTest {

    private final DecisionFixture fixture = new DecisionFixture(options -> options.withBridgePort(Optional.of(0)));
    private final int port = fixture.service.bridgePort().orElseThrow();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aPythonClientAsksForDecisionsHearsStatsAndIsRefusedWhatItMayNotDo(@TempDir Path dir)
            throws IOException, InterruptedException {
        assumeThat(python()).as("python3 on the PATH").isTrue();
        Path script = dir.resolve("bridge_client.py");
        try (InputStream in = getClass().getResourceAsStream("bridge_client.py")) {
            Files.copy(in, script);
        }
        Process process = new ProcessBuilder(
                        "python3",
                        script.toString(),
                        "127.0.0.1",
                        Integer.toString(port),
                        DecisionFixture.CHECKOUT_TOKEN)
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("the client finished")
                .isTrue();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("exit code; stderr: " + Files.readString(dir.resolve("stderr.txt")))
                .isZero();
        Map<String, JsonObject> frames = new LinkedHashMap<>();
        stdout.lines()
                .map(JsonObject::new)
                .forEach(line -> frames.put(line.getString("step"), line.getJsonObject("frame")));

        JsonObject check = frames.get("check");
        assertThat(check.getString("type")).isEqualTo("message");
        assertThat(check.getString("address")).isEqualTo("py-1");
        assertThat(check.getJsonObject("body").getBoolean("allowed")).isTrue();
        assertThat(check.getJsonObject("body").getLong("remaining")).isEqualTo(1);
        assertThat(check.getJsonObject("body").getString("rule")).isEqualTo("api");
        JsonObject inPieces = frames.get("check-in-pieces");
        assertThat(inPieces.getString("address")).isEqualTo("py-2");
        assertThat(inPieces.getJsonObject("body").getLong("remaining")).isZero();
        JsonObject refused = frames.get("check-refused");
        assertThat(refused.getJsonObject("body").getBoolean("allowed")).isFalse();
        assertThat(refused.getJsonObject("body").getLong("retryAfter")).isEqualTo(3600);

        JsonObject unknown = frames.get("unknown-rule");
        assertThat(unknown.getString("type")).isEqualTo("err");
        assertThat(unknown.getString("address")).isEqualTo("py-4");
        assertThat(unknown.getInteger("failureCode")).isEqualTo(404);
        assertThat(unknown.getString("message")).startsWith("unknown rule 'nope'");

        assertThat(frames.get("wrong-token")).isEqualTo(err("invalid_token"));
        assertThat(frames.get("no-token")).isEqualTo(err("invalid_token"));
        assertThat(frames.get("forbidden-send")).isEqualTo(err("access_denied"));
        assertThat(frames.get("forbidden-register")).isEqualTo(err("access_denied"));
        assertThat(frames.get("register-wrong-token")).isEqualTo(err("invalid_token"));
        assertThat(frames.get("ping")).isEqualTo(new JsonObject().put("type", "pong"));

        JsonObject stats = frames.get("stats");
        assertThat(stats.getString("type")).isEqualTo("message");
        assertThat(stats.getString("address")).isEqualTo("tollgate.stats");
        assertThat(stats.getJsonObject("body").getJsonObject("second").fieldNames())
                .contains("requests", "allowed", "blocked");

        List<RateLimitEvent> events = fixture.events(3);
        assertThat(events).extracting(RateLimitEvent::method).containsOnly("BUS");
        assertThat(events).extracting(e -> e.userId().orElse("")).containsOnly("checkout");
        assertThat(events).extracting(RateLimitEvent::key).containsOnly("python:1");
        assertThat(events).extracting(RateLimitEvent::blocked).containsExactly(false, false, true);
        assertThat(fixture.tollgate.metrics().decisions("api", "blocked")).isEqualTo(1);
    }

    @Test
    void aFrameAnnouncedOverTheBoundClosesTheConnectionBeforeItsBytesAreTaken() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(Integer.MAX_VALUE);
            out.write(new byte[1024]);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            assertThat(frame(in)).isEqualTo(err("frame_too_large"));
            assertThat(endOfStream(in)).as("the bridge closed the connection").isTrue();
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // one byte over the 64 KiB bound, with a token that would be accepted
            byte[] body = new JsonObject()
                    .put("type", "ping")
                    .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN))
                    .put("pad", "x".repeat(64 * 1024))
                    .encode()
                    .getBytes(StandardCharsets.UTF_8);
            out.writeInt(64 * 1024 + 1);
            out.write(body, 0, 64 * 1024 + 1);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(frame(in)).isEqualTo(err("frame_too_large"));
            assertThat(endOfStream(in)).isTrue();
        }
        assertThat(fixture.service.tokens().hashesComputed()).isZero();
    }

    @Test
    void aFrameThatIsNotJsonIsRefusedAndTheConnectionGoesOn() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            writeFrame(out, "{not json");
            assertThat(frame(in)).isEqualTo(err("invalid_json"));
            writeFrame(out, "[1, 2]");
            assertThat(frame(in)).isEqualTo(err("invalid_json"));
            writeFrame(
                    out,
                    new JsonObject()
                            .put("type", "publish")
                            .put("address", "tollgate.limit.check")
                            .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN))
                            .put("body", new JsonObject().put("rule", "api").put("key", "k"))
                            .encode());
            assertThat(frame(in)).as("publishing is not taken").isEqualTo(err("access_denied"));
            writeFrame(
                    out,
                    new JsonObject()
                            .put("type", "ping")
                            .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN))
                            .encode());
            assertThat(frame(in)).isEqualTo(new JsonObject().put("type", "pong"));
        }
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }

    @Test
    void manyWrongTokensFromOneAddressAreThrottledWithNoMoreHashesThanTheBound() throws IOException {
        List<JsonObject> answers = new ArrayList<>();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < 15; i++) {
                writeFrame(
                        out,
                        new JsonObject()
                                .put("type", "ping")
                                .put("headers", new JsonObject().put("token", "wrong-" + i))
                                .encode());
                answers.add(frame(in));
            }
        }
        // 10 a minute by default, each wrong token tried against the 2 configured
        assertThat(answers.subList(0, 10)).containsOnly(err("invalid_token"));
        assertThat(answers.subList(10, 15)).containsOnly(err("throttled"));
        assertThat(fixture.service.tokens().hashesComputed()).isEqualTo(20);
    }

    @Test
    void connectionsBeyondTheBoundAreRefusedAndClosed() throws IOException {
        try (DecisionFixture bounded = new DecisionFixture(
                options -> options.withBridgePort(Optional.of(0)).withMaxBridgeConnections(2))) {
            int bridge = bounded.service.bridgePort().orElseThrow();
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), bridge);
                    Socket second = new Socket(InetAddress.getLoopbackAddress(), bridge)) {
                assertThat(ping(first)).isEqualTo(new JsonObject().put("type", "pong"));
                assertThat(ping(second)).isEqualTo(new JsonObject().put("type", "pong"));
                try (Socket third = new Socket(InetAddress.getLoopbackAddress(), bridge)) {
                    third.setSoTimeout(30_000);
                    DataInputStream in = new DataInputStream(third.getInputStream());
                    assertThat(frame(in)).isEqualTo(err("too_many_connections"));
                    assertThat(endOfStream(in)).isTrue();
                }
            }
            // the bridge hears of the closes on its own time: a new connection is taken once it has
            dev.tollgate.test.support.Await.until(
                    () -> {
                        try (Socket again = new Socket(InetAddress.getLoopbackAddress(), bridge)) {
                            return ping(again).equals(new JsonObject().put("type", "pong"));
                        } catch (IOException e) {
                            return false;
                        }
                    },
                    "a connection taken after others closed");
        }
    }

    private static JsonObject ping(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        writeFrame(
                new DataOutputStream(socket.getOutputStream()),
                new JsonObject()
                        .put("type", "ping")
                        .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN))
                        .encode());
        return frame(new DataInputStream(socket.getInputStream()));
    }

    private static JsonObject err(String message) {
        return new JsonObject().put("type", "err").put("message", message);
    }

    private static void writeFrame(DataOutputStream out, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static JsonObject frame(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return new JsonObject(new String(body, StandardCharsets.UTF_8));
    }

    private static boolean endOfStream(DataInputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            // a reset: the bridge closed while bytes it never read were still coming
            return true;
        }
    }

    private static boolean python() {
        try {
            Process process = new ProcessBuilder("python3", "--version")
                    .redirectErrorStream(true)
                    .start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
