package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A global concurrency rule on the {@code redis} backend, shared by two {@code serve} nodes in front of one upstream,
 * over real sockets: the nodes together admit the limit, and every slot comes back when the clients close their
 * connections mid-response.
 */
class ConcurrencyRedisGatewayIT {

    @TempDir
    Path dir;

    private final Vertx peer = Vertx.vertx();
    private final Vertx nodeA = Vertx.vertx();
    private final Vertx nodeB = Vertx.vertx();
    private final String prefix = RedisKeys.newPrefix("tollgate-test");
    private final List<Server> servers = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            for (Server server : servers) {
                await(server.stop());
            }
        } finally {
            Await.close(nodeA, nodeB, peer);
        }
        RedisKeys.deleteAll(prefix);
    }

    private Server start(Vertx node, int upstreamPort, String name) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                limiter:
                  backend: redis
                  redis: { url: "redis://127.0.0.1:6379", keyPrefix: "%s" }
                rules:
                  - { name: upstream, path: "/api/*", kind: concurrency, key: global, limit: 2, status: 503 }
                """.formatted(upstreamPort, prefix));
        ConfigLoader loader = ServeCommand.loader();
        Server server = await(Server.start(node, loader.load(Optional.of(file), Map.of()), loader, false));
        servers.add(server);
        return server;
    }

    /** Sends a GET on a new connection and reads until the status line and headers have come; the socket stays open. */
    private Socket open(Server server, String path, StringBuilder seen) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        while (!seen.toString().contains("partial")
                && !seen.toString().contains("\r\n\r\n{")
                && !seen.toString().endsWith("later.")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            seen.append((char) b);
        }
        return socket;
    }

    private long inFlight(Server server) {
        return await(server.tollgate().peekKey("upstream", "global:all"))
                .decision()
                .orElseThrow()
                .count();
    }

    @Test
    void twoNodesShareOneLimitAndGetEverySlotBackWhenClientsCloseMidResponse() throws IOException {
        HttpServer upstream = await(peer.createHttpServer()
                .requestHandler(request -> {
                    request.response().setChunked(true).write("partial ");
                    held.add(request);
                })
                .listen(0, "127.0.0.1"));
        Server a = start(nodeA, upstream.actualPort(), "a");
        Server b = start(nodeB, upstream.actualPort(), "b");

        StringBuilder first = new StringBuilder();
        Socket viaA = open(a, "/api/1", first);
        assertThat(first.toString()).startsWith("HTTP/1.1 200");
        StringBuilder second = new StringBuilder();
        Socket viaB = open(b, "/api/2", second);
        assertThat(second.toString()).startsWith("HTTP/1.1 200");
        assertThat(inFlight(a)).isEqualTo(2);
        assertThat(inFlight(b)).as("one count, whichever node asks").isEqualTo(2);

        StringBuilder third = new StringBuilder();
        open(a, "/api/3", third);
        assertThat(third.toString()).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1");
        assertThat(held).hasSize(2);

        viaA.close();
        viaB.close();
        Await.until(() -> inFlight(a) == 0, "both slots back");
        StringBuilder again = new StringBuilder();
        open(b, "/api/4", again);
        assertThat(again.toString()).startsWith("HTTP/1.1 200");
        assertThat(inFlight(a)).isEqualTo(1);
    }
}
