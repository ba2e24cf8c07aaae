package dev.tollgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP bridge under load, over real sockets: every frame gets exactly one answer, in order, whatever way its bytes
 * arrive — many connections at once, frames sent back to back without waiting, frames cut into pieces, and a client
 * that writes a long run of checks before it reads any answer, so that the bridge's replies pile up past its write
 * queue and its reading of that connection stops and starts again.
 */
class BusBridgeLoadTest {

    private static final int CONNECTIONS = 32;
    private static final int FRAMES = 2_000;

    private final DecisionFixture fixture = new DecisionFixture(options -> options.withBridgePort(Optional.of(0)));
    private final int port = fixture.service.bridgePort().orElseThrow();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void theTokenIsKnown() throws IOException {
        // the first use of a token is hashed, two at a time: the connections below all present a remembered one
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            JsonObject ping = new JsonObject()
                    .put("type", "ping")
                    .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN));
            socket.getOutputStream().write(frame(ping));
            assertThat(read(new DataInputStream(socket.getInputStream())).getString("type"))
                    .isEqualTo("pong");
        }
    }

    @AfterEach
    void tearDown() {
        clients.shutdownNow();
        fixture.close();
    }

    @Test
    void manyConnectionsSendingFramesBackToBackGetEveryAnswerInOrder() throws Exception {
        List<Future<List<String>>> answered = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            answered.add(clients.submit(() -> converse(connection, FRAMES, connection % 4)));
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            assertThat(answered.get(c).get(5, TimeUnit.MINUTES))
                    .as("connection %d's answers", c)
                    .isEqualTo(expected(c, FRAMES));
        }
    }

    @Test
    void aClientThatReadsNothingUntilItHasSentEverythingIsStillAnsweredInFull() throws Exception {
        int frames = 60_000;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(120_000);
            AtomicLong progress = new AtomicLong();
            // the writer blocks once the bridge stops reading; the reader starts only when the writer is well ahead
            CompletableFuture<Void> written = CompletableFuture.runAsync(
                    () -> {
                        try {
                            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                            for (int i = 0; i < frames; i++) {
                                out.write(frame(check(0, i)));
                                progress.incrementAndGet();
                            }
                            out.flush();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    clients);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            // nothing is read until the writer is done or stuck: the bridge has stopped reading this connection
            long seen = -1;
            while (!written.isDone() && progress.get() != seen) {
                seen = progress.get();
                Thread.sleep(500);
            }
            List<String> addresses = new ArrayList<>(frames);
            for (int i = 0; i < frames; i++) {
                addresses.add(read(in).getString("address"));
            }
            written.get(1, TimeUnit.MINUTES);
            assertThat(addresses).isEqualTo(expected(0, frames));
        }
    }

    /**
     * Sends {@code frames} checks on one connection in runs of 1 to 16 frames written at once (and, in {@code style} 1,
     * each run cut into 7-byte pieces; in {@code style} 2, runs of one frame waiting for its answer), reading the
     * answers of each run before the next; the answers' addresses in the order they came.
     */
    private List<String> converse(int connection, int frames, int style) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<String> addresses = new ArrayList<>(frames);
            int sent = 0;
            while (sent < frames) {
                int run = style == 2 ? 1 : Math.min(frames - sent, 1 + (sent * 7 + connection) % 16);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int i = 0; i < run; i++) {
                    bytes.write(frame(check(connection, sent + i)));
                }
                byte[] all = bytes.toByteArray();
                if (style == 1) {
                    for (int from = 0; from < all.length; from += 7) {
                        out.write(all, from, Math.min(7, all.length - from));
                        out.flush();
                    }
                } else {
                    out.write(all);
                    out.flush();
                }
                for (int i = 0; i < run; i++) {
                    addresses.add(read(in).getString("address"));
                }
                sent += run;
            }
            return addresses;
        }
    }

    private static List<String> expected(int connection, int frames) {
        List<String> addresses = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            addresses.add(replyAddress(connection, i));
        }
        return addresses;
    }

    private static String replyAddress(int connection, int frame) {
        return "c" + connection + "-" + frame;
    }

    private static JsonObject check(int connection, int frame) {
        return new JsonObject()
                .put("type", "send")
                .put("address", "tollgate.limit.check")
                .put("replyAddress", replyAddress(connection, frame))
                .put("headers", new JsonObject().put("token", DecisionFixture.CHECKOUT_TOKEN))
                .put("body", new JsonObject().put("rule", "api").put("key", "load:" + connection));
    }

    private static byte[] frame(JsonObject json) throws IOException {
        byte[] body = json.encode().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 4);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(body.length);
        out.write(body);
        return bytes.toByteArray();
    }

    private static JsonObject read(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new JsonObject(new String(body, StandardCharsets.UTF_8));
    }
}
