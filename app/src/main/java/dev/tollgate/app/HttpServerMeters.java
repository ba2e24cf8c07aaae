package dev.tollgate.app;

import static dev.tollgate.app.MetersByIndex.counter;
import static dev.tollgate.app.MetersByIndex.gauge;
import static dev.tollgate.app.MetersByIndex.summary;
import static dev.tollgate.app.MetersByIndex.timer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
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
final class HttpServerMeters extends ConnectionMeters implements HttpServerMetrics<HttpExchange, LongAdder, Object> {

    private static final String PREFIX = "vertx.http.server.";

    private final MetersByIndex<LongAdder> active;
    private final MetersByIndex<DistributionSummary> requestBytes;
    private final MetersByIndex<Counter> resets;
    private final MetersByIndex<Counter> requests;
    private final MetersByIndex<Timer> responseTime;
    private final MetersByIndex<DistributionSummary> responseBytes;

    HttpServerMeters(MeterRegistry registry) {
        super(
                registry,
                PREFIX,
                "Number of opened connections to the server",
                "Number of bytes received by the server",
                "Number of bytes sent by the server");
        active = MetersByIndex.byMethod(
                gauge(registry, PREFIX + "active.requests", "Number of requests being processed"));
        requestBytes = MetersByIndex.byMethod(summary(registry, PREFIX + "request.bytes", "Size of requests in bytes"));
        resets = MetersByIndex.byMethod(counter(registry, PREFIX + "request.resets", "Number of request resets"));
        requests =
                MetersByIndex.byMethodAndStatus(counter(registry, PREFIX + "requests", "Number of processed requests"));
        responseTime =
                MetersByIndex.byMethodAndStatus(timer(registry, PREFIX + "response.time", "Request processing time"));
        responseBytes = MetersByIndex.byMethodAndStatus(
                summary(registry, PREFIX + "response.bytes", "Size of responses in bytes"));
    }

    @Override
    public HttpExchange requestBegin(Object connection, HttpRequest request) {
        return begin(request.method());
    }

    @Override
    public HttpExchange responsePushed(Object connection, HttpMethod method, String uri, HttpResponse response) {
        return begin(method);
    }

    private HttpExchange begin(HttpMethod method) {
        HttpExchange exchange = new HttpExchange(method.name());
        active.get(exchange.method).increment();
        return exchange;
    }

    @Override
    public void requestEnd(HttpExchange exchange, HttpRequest request, long bytesRead) {
        requestBytes.get(exchange.method).record((double) bytesRead);
        if (exchange.endRequest()) {
            active.get(exchange.method).decrement();
        }
    }

    @Override
    public void requestReset(HttpExchange exchange) {
        resets.get(exchange.method).increment();
        active.get(exchange.method).decrement();
        exchange.reset();
    }

    @Override
    public void responseEnd(HttpExchange exchange, HttpResponse response, long bytesWritten) {
        int index = MetersByIndex.methodAndStatus(exchange.method, response.statusCode());
        requests.get(index).increment();
        responseTime.get(index).record(System.nanoTime() - exchange.start, TimeUnit.NANOSECONDS);
        responseBytes.get(index).record((double) bytesWritten);
        if (exchange.endResponse()) {
            active.get(exchange.method).decrement();
        }
    }

    @Override
    public LongAdder connected(Object connection, HttpExchange exchange, ServerWebSocket webSocket) {
        return webSocketOpened();
    }

    @Override
    public void disconnected(LongAdder webSocket) {
        webSocket.decrement();
    }
}
