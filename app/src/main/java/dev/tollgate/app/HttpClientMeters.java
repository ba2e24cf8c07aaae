package dev.tollgate.app;

import static dev.tollgate.app.MetersByIndex.counter;
import static dev.tollgate.app.MetersByIndex.gauge;
import static dev.tollgate.app.MetersByIndex.summary;
import static dev.tollgate.app.MetersByIndex.timer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
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
 * its meters found by index rather than looked up by tags on each request. One for all the clients and endpoints;
 * a response that never began is counted with the status class {@code other}.
 */
final class HttpClientMeters extends ConnectionMeters implements HttpClientMetrics<HttpExchange, LongAdder, Object> {

    private static final String PREFIX = "vertx.http.client.";

    private final MetersByIndex<LongAdder> active;
    private final MetersByIndex<Counter> requests;
    private final MetersByIndex<DistributionSummary> requestBytes;
    private final MetersByIndex<Counter> responses;
    private final MetersByIndex<Timer> responseTime;
    private final MetersByIndex<DistributionSummary> responseBytes;
    private final Endpoint endpoint = new Endpoint();

    HttpClientMeters(MeterRegistry registry) {
        super(
                registry,
                PREFIX,
                "Number of connections to the remote host currently opened",
                "Number of bytes received from the remote host",
                "Number of bytes sent to the remote host");
        active = MetersByIndex.byMethod(
                gauge(registry, PREFIX + "active.requests", "Number of requests waiting for a response"));
        requests = MetersByIndex.byMethod(counter(registry, PREFIX + "requests", "Number of requests sent"));
        requestBytes = MetersByIndex.byMethod(summary(registry, PREFIX + "request.bytes", "Size of requests in bytes"));
        responses =
                MetersByIndex.byMethodAndStatus(counter(registry, PREFIX + "responses", "Response count with codes"));
        responseTime = MetersByIndex.byMethodAndStatus(timer(registry, PREFIX + "response.time", "Response time"));
        responseBytes = MetersByIndex.byMethodAndStatus(
                summary(registry, PREFIX + "response.bytes", "Size of responses in bytes"));
    }

    /** The meters of every endpoint (the labels have no remote address): the same for all. */
    private final class Endpoint implements ClientMetrics<HttpExchange, HttpRequest, HttpResponse> {

        @Override
        public HttpExchange requestBegin(String uri, HttpRequest request) {
            HttpExchange exchange = new HttpExchange(request.method().name());
            active.get(exchange.method).increment();
            requests.get(exchange.method).increment();
            return exchange;
        }

        @Override
        public void requestEnd(HttpExchange exchange, long bytesWritten) {
            requestBytes.get(exchange.method).record((double) bytesWritten);
            if (exchange.endRequest()) {
                active.get(exchange.method).decrement();
            }
        }

        @Override
        public void requestReset(HttpExchange exchange) {
            active.get(exchange.method).decrement();
            exchange.reset();
        }

        @Override
        public void responseBegin(HttpExchange exchange, HttpResponse response) {
            exchange.status = response.statusCode();
        }

        @Override
        public void responseEnd(HttpExchange exchange, long bytesRead) {
            if (exchange.endResponse()) {
                active.get(exchange.method).decrement();
            }
            int index = MetersByIndex.methodAndStatus(exchange.method, exchange.status);
            responses.get(index).increment();
            responseTime.get(index).record(System.nanoTime() - exchange.start, TimeUnit.NANOSECONDS);
            responseBytes.get(index).record((double) bytesRead);
        }
    }

    @Override
    public ClientMetrics<HttpExchange, HttpRequest, HttpResponse> createEndpointMetrics(
            SocketAddress remoteAddress, int maxPoolSize) {
        return endpoint;
    }

    @Override
    public LongAdder connected(WebSocket webSocket) {
        return webSocketOpened();
    }

    @Override
    public void disconnected(LongAdder webSocket) {
        webSocket.decrement();
    }
}
