package dev.tollgate.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code vertx_http_server_*} series of every HTTP server of one Vert.x, named, tagged and counted as
 * vertx-micrometer-metrics counts them with {@link ServeMetrics}' labels ({@code method}, and {@code code} as the
 * status class), its meters found by index rather than looked up by tags on each request. One for all the servers.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, LongAdder, Object> {

    private static final String PREFIX = "vertx.http.server.";
    /** What a connection's meters are: the same for every connection. */
    private static final Object CONNECTION = new Object();

    private final MeterRegistry registry;
    private final LongAdder connections;
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final MetersByIndex<LongAdder> active;
    private final MetersByIndex<DistributionSummary> requestBytes;
    private final MetersByIndex<Counter> resets;
    private final MetersByIndex<Counter> requests;
    private final MetersByIndex<Timer> responseTime;
    private final MetersByIndex<DistributionSummary> responseBytes;
    private final MetersByIndex<LongAdder> webSockets;

    HttpServerMeters(MeterRegistry registry) {
        this.registry = registry;
        connections = MetersByIndex.gauge(
                registry, PREFIX + "active.connections", "Number of opened connections to the server", Tags.empty());
        bytesRead = Counter.builder(PREFIX + "bytes.read")
                .description("Number of bytes received by the server")
                .register(registry);
        bytesWritten = Counter.builder(PREFIX + "bytes.written")
                .description("Number of bytes sent by the server")
                .register(registry);
        active = MetersByIndex.byMethod(tags ->
                MetersByIndex.gauge(registry, PREFIX + "active.requests", "Number of requests being processed", tags));
        requestBytes = MetersByIndex.byMethod(tags -> DistributionSummary.builder(PREFIX + "request.bytes")
                .description("Size of requests in bytes")
                .tags(tags)
                .register(registry));
        resets = MetersByIndex.byMethod(tags -> Counter.builder(PREFIX + "request.resets")
                .description("Number of request resets")
                .tags(tags)
                .register(registry));
        requests = MetersByIndex.byMethodAndStatus(tags -> Counter.builder(PREFIX + "requests")
                .description("Number of processed requests")
                .tags(tags)
                .register(registry));
        responseTime = MetersByIndex.byMethodAndStatus(tags -> Timer.builder(PREFIX + "response.time")
                .description("Request processing time")
                .tags(tags)
                .register(registry));
        responseBytes = MetersByIndex.byMethodAndStatus(tags -> DistributionSummary.builder(PREFIX + "response.bytes")
                .description("Size of responses in bytes")
                .tags(tags)
                .register(registry));
        webSockets = new MetersByIndex<>(
                1,
                i -> MetersByIndex.gauge(
                        registry,
                        PREFIX + "active.ws.connections",
                        "Number of websockets currently opened",
                        Tags.empty()));
    }

    /** One request's state: counted as active until both its request and its response have ended, or it is reset. */
    static final class Request {
        private final int method;
        private final long start = System.nanoTime();
        private boolean requestEnded;
        private boolean responseEnded;
        private boolean reset;

        private Request(int method) {
            this.method = method;
        }
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

    @Override
    public void exceptionOccurred(Object connection, SocketAddress remoteAddress, Throwable t) {
        Counter.builder(PREFIX + "errors")
                .description("Number of errors")
                .tag("class", t.getClass().getSimpleName())
                .register(registry)
                .increment();
    }

    @Override
    public Request requestBegin(Object connection, HttpRequest request) {
        return begin(request.method());
    }

    @Override
    public Request responsePushed(Object connection, HttpMethod method, String uri, HttpResponse response) {
        return begin(method);
    }

    private Request begin(HttpMethod method) {
        Request request = new Request(MetersByIndex.method(method.name()));
        active.get(request.method).increment();
        return request;
    }

    @Override
    public void requestEnd(Request request, HttpRequest ended, long bytesRead) {
        requestBytes.get(request.method).record((double) bytesRead);
        request.requestEnded = true;
        if (!request.reset && request.responseEnded) {
            active.get(request.method).decrement();
        }
    }

    @Override
    public void requestReset(Request request) {
        resets.get(request.method).increment();
        active.get(request.method).decrement();
        request.reset = true;
    }

    @Override
    public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
        int index = MetersByIndex.methodAndStatus(request.method, response.statusCode());
        requests.get(index).increment();
        responseTime.get(index).record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
        responseBytes.get(index).record((double) bytesWritten);
        request.responseEnded = true;
        if (!request.reset && request.requestEnded) {
            active.get(request.method).decrement();
        }
    }

    @Override
    public LongAdder connected(Object connection, Request request, ServerWebSocket webSocket) {
        LongAdder open = webSockets.get(0);
        open.increment();
        return open;
    }

    @Override
    public void disconnected(LongAdder webSocket) {
        webSocket.decrement();
    }
}
