package dev.tollgate.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay in front of a real server, which a test stops and starts to make the server go away and come back. */
final class TcpRelay {

    private final Vertx vertx;
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final NetClient client;
    private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
    private NetServer server;

    TcpRelay(Vertx vertx, int port, String targetHost, int targetPort) {
        this.vertx = vertx;
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient();
    }

    Future<Void> start() {
        server = vertx.createNetServer().connectHandler(inbound -> {
            inbound.pause();
            sockets.add(inbound);
            client.connect(targetPort, targetHost).onComplete(connected -> {
                if (connected.failed()) {
                    inbound.close();
                    return;
                }
                NetSocket outbound = connected.result();
                sockets.add(outbound);
                inbound.pipeTo(outbound);
                outbound.pipeTo(inbound);
                inbound.resume();
            });
        });
        return server.listen(port, "127.0.0.1").mapEmpty();
    }

    /** Stops listening and cuts every relayed connection. */
    Future<Void> stop() {
        Future<Void> closed = server.close();
        sockets.forEach(NetSocket::close);
        sockets.clear();
        return closed;
    }
}
