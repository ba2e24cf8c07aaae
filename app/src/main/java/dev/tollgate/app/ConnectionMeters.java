package dev.tollgate.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The series every HTTP server or client of {@link VertxMeters} has under its prefix, besides its requests': the
 * connections open now, the bytes read and written, the connection errors by exception class, and the WebSockets
 * open now.
 */
abstract class ConnectionMeters implements TCPMetrics<Object> {

    /** What a connection's meters are: the same for every connection. */
    private static final Object CONNECTION = new Object();

    private final MeterRegistry registry;
    private final String prefix;
    private final LongAdder connections;
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final MetersByIndex<LongAdder> webSockets;

    /** The descriptions are vertx-micrometer-metrics' own for the server's or the client's series. */
    ConnectionMeters(MeterRegistry registry, String prefix, String connections, String bytesRead, String bytesWritten) {
        this.registry = registry;
        this.prefix = prefix;
        this.connections = MetersByIndex.gauge(registry, prefix + "active.connections", connections, Tags.empty());
        this.bytesRead = MetersByIndex.counter(registry, prefix + "bytes.read", bytesRead)
                .apply(Tags.empty());
        this.bytesWritten = MetersByIndex.counter(registry, prefix + "bytes.written", bytesWritten)
                .apply(Tags.empty());
        webSockets = new MetersByIndex<>(
                1,
                i -> MetersByIndex.gauge(
                        registry,
                        prefix + "active.ws.connections",
                        "Number of websockets currently opened",
                        Tags.empty()));
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
        connections.increment();
        return CONNECTION;
    }

    @Override
    public void disconnected(Object connection, SocketAddress remoteAddress) {
        connections.decrement();
    }

    @Override
    public void bytesRead(Object connection, SocketAddress remoteAddress, long numberOfBytes) {
        bytesRead.increment((double) numberOfBytes);
    }

    @Override
    public void bytesWritten(Object connection, SocketAddress remoteAddress, long numberOfBytes) {
        bytesWritten.increment((double) numberOfBytes);
    }

    /** Counts a connection's error by its exception's class: rare, so looked up each time. */
    @Override
    public void exceptionOccurred(Object connection, SocketAddress remoteAddress, Throwable t) {
        Counter.builder(prefix + "errors")
                .description("Number of errors")
                .tag("class", t.getClass().getSimpleName())
                .register(registry)
                .increment();
    }

    /** Counts a WebSocket opened; the adder to decrement when it closes. */
    final LongAdder webSocketOpened() {
        LongAdder open = webSockets.get(0);
        open.increment();
        return open;
    }
}
