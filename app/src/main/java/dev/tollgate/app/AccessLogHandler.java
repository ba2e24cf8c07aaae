package dev.tollgate.app;

import dev.tollgate.core.ClientAddresses;
import dev.tollgate.core.RateLimitHandler;
import dev.tollgate.core.Verdict;
import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of the gateway's router: when a request's answer has ended (or the client went away first),
 * hands the request to the {@link AccessLog} with its status, body bytes, duration, and the rule and outcome of the
 * {@link Verdict} the rate-limit handler left in the routing context.
 */
final class AccessLogHandler implements Handler<RoutingContext> {

    private final AccessLog log;
    private final ClientAddresses addresses;
    private final InstantSource clock;

    AccessLogHandler(AccessLog log, ClientAddresses addresses, InstantSource clock) {
        this.log = log;
        this.addresses = addresses;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Instant arrived = clock.instant();
        long started = System.nanoTime();
        ctx.addEndHandler(ended -> log.log(entry(
                ctx.request(), ctx.get(RateLimitHandler.VERDICT), arrived, millisSince(started), ended.succeeded())));
        ctx.next();
    }

    /**
     * For {@link io.vertx.core.http.HttpServer#invalidRequestHandler}: logs a request Vert.x refuses before any handler
     * sees it (a malformed request line or header), then answers it as Vert.x does.
     */
    void invalid(HttpServerRequest request) {
        Instant arrived = clock.instant();
        long started = System.nanoTime();
        request.response().endHandler(v -> log.log(entry(request, null, arrived, millisSince(started), true)));
        HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private AccessLogEntry entry(
            HttpServerRequest request, Verdict verdict, Instant arrived, long millis, boolean answered) {
        HttpServerResponse response = request.response();
        String host = addresses.clientIp(
                RateLimitHandler.peerAddress(request),
                request.headers().getAll(addresses.header().headerName()));
        String rule = "-";
        String outcome = "-";
        if (verdict != null && verdict.event().isPresent()) {
            RateLimitEvent event = verdict.event().get();
            rule = event.ruleName().isEmpty() ? "-" : event.ruleName();
            outcome = switch (verdict.outcome()) {
                case UNCHECKED -> "-";
                case ALLOWED -> event.shadow() ? "shadow_blocked" : "allowed";
                case LIMITED -> "blocked";
                case DENIED -> "denied";
                case UNAVAILABLE -> "unavailable";
            };
        }
        return new AccessLogEntry(
                host.isEmpty() ? "-" : host,
                arrived,
                request.method() == null ? "-" : request.method().name(),
                orDash(request.uri()),
                protocol(request),
                answered ? response.getStatusCode() : 499,
                response.bytesWritten(),
                orDash(request.getHeader(HttpHeaders.REFERER)),
                orDash(request.getHeader(HttpHeaders.USER_AGENT)),
                rule,
                outcome,
                millis);
    }

    private static String protocol(HttpServerRequest request) {
        if (request.version() == null) {
            return "-";
        }
        return switch (request.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2.0";
        };
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
