package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the tests of Tollgate's HTTP handler over real sockets share: a Vert.x with a web client, every event
 * published on {@code tollgate.events} as it comes, and raw connections that stay open until {@link #close}.
 */
final class HandlerFixture implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final WebClient client = WebClient.create(vertx);
    /** The events published on {@code tollgate.events}, in order. */
    final List<RateLimitEvent> events = new CopyOnWriteArrayList<>();

    private final List<Socket> sockets = new ArrayList<>();

    HandlerFixture() {
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()))
                .completion());
    }

    /** Opens a connection to {@code port} and sends a GET of {@code path} without waiting for an answer. */
    Socket sendWithoutWaiting(int port, String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Override
    public void close() {
        try {
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Await.close(vertx);
        }
    }
}
