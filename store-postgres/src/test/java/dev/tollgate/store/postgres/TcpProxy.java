package dev.tollgate.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of the test database: what a store sees when its server goes away
 * ({@link #stop()}: listening stops, every open connection is cut), comes back ({@link #start()} on the same
 * port), or hangs ({@link #silent}: connections are accepted and nothing is ever answered).
 */
final class TcpProxy {

    private final Vertx vertx;
    private final String targetHost;
    private final int targetPort;
    private final boolean forward;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final NetClient client;
    private NetServer server;
    private int port;

    private TcpProxy(Vertx vertx, String targetHost, int targetPort, boolean forward) {
        this.vertx = vertx;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.forward = forward;
        this.client = vertx.createNetClient();
    }

    /** A proxy forwarding to {@code host:port}, not yet listening. */
    static TcpProxy to(Vertx vertx, String host, int port) {
        return new TcpProxy(vertx, host, port, true);
    }

    /** A proxy that accepts connections and never says a word on them. */
    static TcpProxy silent(Vertx vertx) {
        return new TcpProxy(vertx, "", 0, false);
    }

    /** The port it listens on: chosen at the first start, kept across restarts. */
    int port() {
        return port;
    }

    /** Listens (again) on its port. */
    Future<Void> start() {
        server = vertx.createNetServer().connectHandler(this::accept);
        return server.listen(port, "127.0.0.1").map(listening -> {
            port = listening.actualPort();
            return null;
        });
    }

    /** Stops listening and cuts every connection it carries. */
    Future<Void> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(server.close());
        sockets.forEach(socket -> closing.add(socket.close()));
        return Future.join(closing).mapEmpty();
    }

    private void accept(NetSocket inbound) {
        sockets.add(inbound);
        inbound.closeHandler(closed -> sockets.remove(inbound));
        if (!forward) {
            return;
        }
        inbound.pause();
        client.connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed()) {
                inbound.close();
                return;
            }
            NetSocket outbound = connected.result();
            sockets.add(outbound);
            outbound.closeHandler(closed -> {
                sockets.remove(outbound);
                inbound.close();
            });
            inbound.closeHandler(closed -> {
                sockets.remove(inbound);
                outbound.close();
            });
            inbound.handler(outbound::write);
            outbound.handler(inbound::write);
            inbound.resume();
        });
    }
}
