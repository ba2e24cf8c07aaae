package dev.tollgate.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * Vert.x's meters for {@code serve}: the HTTP server, HTTP client and event-bus series that vertx-micrometer-metrics
 * reports, with the same names, tags and counts, made by {@link HttpServerMeters}, {@link HttpClientMeters} and
 * {@link EventBusMeters}, which find each meter by index instead of building its tags and looking it up in the
 * registry on every request and message (a dozen look-ups per proxied request, the largest share of what the
 * gateway spent beyond proxying); everything else (pools, other servers and clients) is vertx-micrometer-metrics'
 * own. One per registry: the HTTP meters' gauges count in adders of their own.
 */
final class VertxMeters implements VertxMetrics {

    private final VertxMetrics micrometer;
    private final HttpServerMeters server;
    private final HttpClientMeters client;
    private final EventBusMeters eventBus;

    private VertxMeters(VertxMetrics micrometer, MeterRegistry registry) {
        this.micrometer = micrometer;
        this.server = new HttpServerMeters(registry);
        this.client = new HttpClientMeters(registry);
        this.eventBus = new EventBusMeters(registry);
    }

    /** The factory of a Vert.x whose options carry {@link io.vertx.micrometer.MicrometerMetricsOptions}. */
    static VertxMetricsFactory factory(MeterRegistry registry) {
        MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
        return options -> new VertxMeters(micrometer.metrics(options), registry);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
        return eventBus;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
        return server;
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
        return client;
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
        return micrometer.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
        return micrometer.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
        return micrometer.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
        return micrometer.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
        return micrometer.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx vertx) {
        micrometer.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
        return micrometer.isMetricsEnabled();
    }

    @Override
    public void close() {
        micrometer.close();
    }
}
