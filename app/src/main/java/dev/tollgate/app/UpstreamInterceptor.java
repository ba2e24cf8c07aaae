package dev.tollgate.app;

import dev.tollgate.core.ClientAddresses;
import dev.tollgate.core.IpAddress;
import dev.tollgate.core.Printable;
import dev.tollgate.core.RateLimitHandler;
import dev.tollgate.core.RequestPath;
import dev.tollgate.core.TollgateMetrics;
import dev.tollgate.core.UpstreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * What the gateway changes on the way to the upstream and back, so that the upstream is told the truth:
 * <ul>
 *   <li>the path is the {@link RequestPath normalized} one the rules matched, the query as sent;</li>
 *   <li>{@code X-Forwarded-For} gets the peer appended when the peer is a trusted proxy, and is the peer alone
 *       otherwise (a client's own value is dropped); {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}
 *       are a trusted proxy's, or else this gateway's; {@code Forwarded} and {@code X-Real-IP} pass only from a
 *       trusted proxy;</li>
 *   <li>hop-by-hop headers, including those the {@code Connection} header names, go no further, either way;</li>
 *   <li>an upstream that does not connect within {@code gateway.connectTimeout}, or sends nothing for
 *       {@code gateway.timeout}, gets the client a 504 with a line saying so; any other failure a 502. Each is
 *       counted, and logged at most once per 10 s with the count since the last line;</li>
 *   <li>the event of a served request ({@link UpstreamEvent}, handed over by {@link #handing}) is published once the
 *       upstream's response head arrives, with its status and the time from sending the request until then; when the
 *       upstream fails (the 502 and 504 above) it is published without them.</li>
 * </ul>
 * One per event loop: not thread-safe.
 */
final class UpstreamInterceptor implements ProxyInterceptor {

    private static final List<String> HOP_BY_HOP = List.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private final ClientAddresses addresses;
    private final boolean keepEncodedSlashes;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final TollgateMetrics metrics;
    private final QuietLog errors;
    private final LongSupplier nanoTime;
    /** The held events of the requests on their way to the upstream, by request (compared by identity). */
    private final IdentityHashMap<HttpServerRequest, UpstreamEvent> awaiting = new IdentityHashMap<>();

    UpstreamInterceptor(
            ClientAddresses addresses,
            boolean keepEncodedSlashes,
            Duration connectTimeout,
            Duration timeout,
            TollgateMetrics metrics,
            QuietLog errors) {
        this(addresses, keepEncodedSlashes, connectTimeout, timeout, metrics, errors, System::nanoTime);
    }

    UpstreamInterceptor(
            ClientAddresses addresses,
            boolean keepEncodedSlashes,
            Duration connectTimeout,
            Duration timeout,
            TollgateMetrics metrics,
            QuietLog errors,
            LongSupplier nanoTime) {
        this.addresses = addresses;
        this.keepEncodedSlashes = keepEncodedSlashes;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.metrics = metrics;
        this.errors = errors;
        this.nanoTime = nanoTime;
    }

    /**
     * The route handler after the rate-limit handler: {@code proxy} (whose proxy has this interceptor) with the
     * request's held event, if any, handed to this interceptor. The proxy asks the interceptor for the request before
     * its handler returns, so the hand-over ends there: a request the proxy answered itself (a body it cannot frame, a
     * WebSocket upgrade) leaves nothing behind, and its event is published when its response ends.
     */
    Handler<RoutingContext> handing(Handler<RoutingContext> proxy) {
        return ctx -> {
            UpstreamEvent held = ctx.get(RateLimitHandler.UPSTREAM_EVENT);
            if (held == null) {
                proxy.handle(ctx);
                return;
            }
            HttpServerRequest request = ctx.request();
            awaiting.put(request, held);
            try {
                proxy.handle(ctx);
            } finally {
                awaiting.remove(request);
            }
        };
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        HttpServerRequest incoming = request.proxiedRequest();
        UpstreamEvent held = awaiting.remove(incoming);
        String path = RequestPath.normalize(incoming.path(), keepEncodedSlashes).orElse(null);
        if (path == null) {
            if (held != null) {
                held.failed();
            }
            // the rate-limit handler refuses such a path before it gets here; a route without it must not differ
            return Future.succeededFuture(answer(request, 400, "Bad request: the path cannot be read one way only."));
        }
        String query = incoming.query();
        request.setURI(query == null ? path : path + "?" + query);
        MultiMap headers = request.headers();
        removeHopByHop(headers);
        String peer = IpAddress.canonicalOrSelf(RateLimitHandler.peerAddress(incoming));
        boolean trusted = addresses.isTrusted(peer);
        List<String> chain = trusted ? headers.getAll("x-forwarded-for") : List.of();
        headers.set("x-forwarded-for", chain.isEmpty() ? peer : String.join(", ", chain) + ", " + peer);
        if (!trusted || !headers.contains("x-forwarded-proto")) {
            headers.set("x-forwarded-proto", incoming.isSSL() ? "https" : "http");
        }
        if (!trusted || !headers.contains("x-forwarded-host")) {
            if (incoming.authority() != null) {
                headers.set("x-forwarded-host", incoming.authority().toString());
            } else {
                headers.remove("x-forwarded-host");
            }
        }
        if (!trusted) {
            headers.remove("forwarded");
            headers.remove("x-real-ip");
        }
        long sent = nanoTime.getAsLong();
        return context.sendRequest()
                .onSuccess(response -> {
                    if (held != null) {
                        held.answered(response.getStatusCode(), Duration.ofNanos(nanoTime.getAsLong() - sent));
                    }
                })
                .recover(failure -> upstreamFailed(request, held, failure));
    }

    private Future<ProxyResponse> upstreamFailed(ProxyRequest request, UpstreamEvent held, Throwable failure) {
        if (held != null) {
            held.failed();
        }
        String kind = kind(failure);
        metrics.gatewayError(kind);
        // Vert.x's message holds the request's path: client text, escaped for the log
        errors.log(
                kind.equals("error")
                        ? "the upstream failed: " + Printable.escape(String.valueOf(failure.getMessage()))
                        : "the upstream did not answer in time (" + kind.replace('_', ' ') + ")");
        return Future.succeededFuture(
                kind.equals("error")
                        ? answer(request, 502, "Bad gateway: the upstream could not be reached.")
                        : answer(
                                request,
                                504,
                                kind.equals("connect_timeout")
                                        ? "Gateway timeout: the upstream did not accept a connection within "
                                                + connectTimeout.toMillis() + " ms."
                                        : "Gateway timeout: the upstream sent nothing for " + timeout.toMillis()
                                                + " ms."));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        ProxyResponse response = context.response();
        if (response.getStatusCode() != 101) {
            removeHopByHop(response.headers());
        }
        return context.sendResponse();
    }

    private static void removeHopByHop(MultiMap headers) {
        if (!hasHopByHop(headers)) {
            // most messages carry none: one look at each name instead of a lookup per hop-by-hop name
            return;
        }
        List<String> named = new ArrayList<>();
        for (String line : headers.getAll("connection")) {
            for (String name : line.split(",", -1)) {
                if (!name.isBlank()) {
                    named.add(name.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        named.forEach(headers::remove);
        HOP_BY_HOP.forEach(headers::remove);
    }

    /** Whether a header of {@code headers} is hop-by-hop ({@code Connection} included, which names more). */
    private static boolean hasHopByHop(MultiMap headers) {
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            for (String hop : HOP_BY_HOP) {
                if (name.length() == hop.length() && name.equalsIgnoreCase(hop)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ProxyResponse answer(ProxyRequest request, int status, String text) {
        return request.release()
                .response()
                .setStatusCode(status)
                .putHeader("content-type", "text/plain; charset=utf-8")
                .setBody(Body.body(Buffer.buffer(text + "\n")));
    }

    private static String kind(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getName();
            if (name.endsWith("ConnectTimeoutException")) {
                return "connect_timeout";
            }
            if (cause instanceof TimeoutException) {
                // Vert.x's own words for a connection the pool could not get in time
                return String.valueOf(cause.getMessage()).contains("getting a connection")
                        ? "connect_timeout"
                        : "timeout";
            }
            if (cause instanceof ConnectException) {
                return "error";
            }
        }
        return "error";
    }
}
