package dev.tollgate.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code vertx_http_client_*} series of every HTTP client of one Vert.x (the gateway's client to its upstream
 * among them), named, tagged and counted as vertx-micrometer-metrics counts them with {@link ServeMetrics}' labels,
 * its meters found by index rather than looked up by tags on each request. One for all the clients and endpoints.
 */
final class HttpClientMeters implements HttpClientMetrics<HttpClientMeters.Request, LongAdder, Object> {

    private static final String PREFIX = "vertx.http.client.";
    private static final Object CONNECTION = new Object();

    private final MeterRegistry registry;
    private final LongAdder connections;
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final MetersByIndex<LongAdder> active;
    private final MetersByIndex<Counter> requests;
    private final MetersByIndex<DistributionSummary> requestBytes;
    private final MetersByIndex<Counter> responses;
    private final MetersByIndex<Timer> responseTime;
    private final MetersByIndex<DistributionSummary> responseBytes;
    private final MetersByIndex<LongAdder> webSockets;
    private final Endpoint endpoint = new Endpoint();

    HttpClientMeters(MeterRegistry registry) {
        this.registry = registry;
        connections = MetersByIndex.gauge(
                registry,
                PREFIX + "active.connections",
                "Number of connections to the remote host currently opened",
                Tags.empty());
        bytesRead = Counter.builder(PREFIX + "bytes.read")
                .description("Number of bytes received from the remote host")
                .register(registry);
        bytesWritten = Counter.builder(PREFIX + "bytes.written")
                .description("Number of bytes sent to the remote host")
                .register(registry);
        active = MetersByIndex.byMethod(tags -> MetersByIndex.gauge(
                registry, PREFIX + "active.requests", "Number of requests waiting for a response", tags));
        requests = MetersByIndex.byMethod(tags -> Counter.builder(PREFIX + "requests")
                .description("Number of requests sent")
                .tags(tags)
                .register(registry));
        requestBytes = MetersByIndex.byMethod(tags -> DistributionSummary.builder(PREFIX + "request.bytes")
                .description("Size of requests in bytes")
                .tags(tags)
                .register(registry));
        responses = MetersByIndex.byMethodAndStatus(tags -> Counter.builder(PREFIX + "responses")
                .description("Response count with codes")
                .tags(tags)
                .register(registry));
        responseTime = MetersByIndex.byMethodAndStatus(tags -> Timer.builder(PREFIX + "response.time")
                .description("Response time")
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

    /**
     * One request's state: waiting for a response until both the request and the response have ended, or it is
     * reset. A response that never began is counted with the status class {@code other}.
     */
    static final class Request {
        private final int method;
        private final long start = System.nanoTime();
        private int status;
        private boolean requestEnded;
        private boolean responseEnded;
        private boolean reset;

        private Request(int method) {
            this.method = method;
        }
    }

    /** The meters of every endpoint (the labels have no remote address): the same for all. */
    private final class Endpoint implements ClientMetrics<Request, HttpRequest, HttpResponse> {

        @Override
        public Request requestBegin(String uri, HttpRequest request) {
            Request begun = new Request(MetersByIndex.method(request.method().name()));
            active.get(begun.method).increment();
            requests.get(begun.method).increment();
            return begun;
        }

        @Override
        public void requestEnd(Request request, long bytesWritten) {
            requestBytes.get(request.method).record((double) bytesWritten);
            request.requestEnded = true;
            if (!request.reset && request.responseEnded) {
                active.get(request.method).decrement();
            }
        }

        @Override
        public void requestReset(Request request) {
            active.get(request.method).decrement();
            request.reset = true;
        }

        @Override
        public void responseBegin(Request request, HttpResponse response) {
            request.status = response.statusCode();
        }

        @Override
        public void responseEnd(Request request, long bytesRead) {
            request.responseEnded = true;
            if (!request.reset && request.requestEnded) {
                active.get(request.method).decrement();
            }
            int index = MetersByIndex.methodAndStatus(request.method, request.status);
            responses.get(index).increment();
            responseTime.get(index).record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
            responseBytes.get(index).record((double) bytesRead);
        }
    }

    @Override
    public ClientMetrics<Request, HttpRequest, HttpResponse> createEndpointMetrics(
            SocketAddress remoteAddress, int maxPoolSize) {
        return endpoint;
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
    public LongAdder connected(WebSocket webSocket) {
        LongAdder open = webSockets.get(0);
        open.increment();
        return open;
    }

    @Override
    public void disconnected(LongAdder webSocket) {
        webSocket.decrement();
    }
}
