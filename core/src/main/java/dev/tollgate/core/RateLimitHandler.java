package dev.tollgate.core;

import dev.tollgate.limiter.Decision;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Limits requests in any Vert.x Web router: {@code router.route("/api/*").handler(tollgate.handler())}.
 *
 * <p>Every checked request gets {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and
 * {@code X-RateLimit-Reset} (epoch seconds); a limited one gets 429 with {@code Retry-After} and a
 * JSON body when the client accepts JSON, else a line of text. One event per checked request is
 * published on {@code tollgate.events}; a request no rule covers passes untouched and unrecorded. A request whose
 * cost header a quota rule cannot read gets 400 saying what to send, and is neither counted nor recorded. A request admitted
 * by concurrency rules holds their slots until its response ends, however it ends (sent, failed, the connection
 * closed by the client or a timeout), and gives them back then, exactly once. The event carries
 * the request's user agent. A request that rules with {@code onExceed: delay} admitted with a delay waits for it
 * without blocking the event loop (its body held back), with the headers of an admitted request, and then goes on; a
 * client that goes away meanwhile leaves the queue and its permits are given back. In gateway mode
 * ({@link Tollgate#gatewayHandler()}) the event of a served request is published once the upstream has answered, with
 * its status and latency ({@link UpstreamEvent}).
 */
public final class RateLimitHandler implements Handler<RoutingContext> {

    static final String PLAIN_BODY = "Rate limit exceeded. Please try again later.";
    /** The routing context's entry that holds the {@link RequestPath normalized} path rules matched. */
    public static final String NORMALIZED_PATH = "tollgate.path";
    /** The routing context's entry that holds the request's {@link Verdict}, once the rules have decided. */
    public static final String VERDICT = "tollgate.verdict";
    /**
     * The routing context's entry that holds the {@link UpstreamEvent} of a served request, when the handler
     * {@link Tollgate#gatewayHandler() awaits the upstream}.
     */
    public static final String UPSTREAM_EVENT = "tollgate.upstreamEvent";
    // names checked and encoded once, not on every response
    private static final CharSequence LIMIT = HttpHeaders.createOptimized("X-RateLimit-Limit");
    private static final CharSequence REMAINING = HttpHeaders.createOptimized("X-RateLimit-Remaining");
    private static final CharSequence RESET = HttpHeaders.createOptimized("X-RateLimit-Reset");
    static final String BAD_PATH_BODY = "Bad request: the path has an encoded slash or backslash, a control character"
            + " or a broken percent-escape.";

    private final Tollgate tollgate;
    private final CharSequence addressHeader;
    private final boolean awaitsUpstream;

    RateLimitHandler(Tollgate tollgate, boolean awaitsUpstream) {
        this.tollgate = tollgate;
        this.awaitsUpstream = awaitsUpstream;
        this.addressHeader =
                HttpHeaders.createOptimized(tollgate.clientAddresses().header().headerName());
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<String> path = RequestPath.normalize(ctx.request().path(), tollgate.keepsEncodedSlashes());
        if (path.isEmpty()) {
            tollgate.metrics().refused("bad_path");
            ctx.response()
                    .setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(BAD_PATH_BODY);
            return;
        }
        ctx.put(NORMALIZED_PATH, path.get());
        RequestInfo request = requestInfo(ctx, path.get());
        Future<Verdict> checked = tollgate.check(request);
        if (checked.isComplete()) {
            decide(ctx, checked);
            return;
        }
        // a remote limiter answers later: hold the body until the request goes on, or a later handler
        // (a proxy, a body handler) would find it already read
        ctx.request().pause();
        checked.onComplete(result -> {
            ctx.request().resume();
            decide(ctx, result);
        });
    }

    private void decide(RoutingContext ctx, AsyncResult<Verdict> result) {
        if (result.failed()) {
            if (result.cause() instanceof RequestCostException bad) {
                respondBadCost(ctx, bad.getMessage());
                return;
            }
            ctx.fail(result.cause());
            return;
        }
        Verdict verdict = result.result();
        ctx.put(VERDICT, verdict);
        verdict.event().ifPresent(event -> {
            if (awaitsUpstream && verdict.outcome().passes()) {
                UpstreamEvent held = new UpstreamEvent(tollgate, event);
                ctx.put(UPSTREAM_EVENT, held);
                // the proxy publishes it once the upstream answered or failed; this is for a request that never
                // got there (a later handler answered, the client went away): never lost, never twice
                ctx.addEndHandler(ended -> held.failed());
            } else {
                tollgate.publish(event);
            }
        });
        HttpServerResponse response = ctx.response();
        verdict.headline().flatMap(RuleResult::decision).ifPresent(d -> rateLimitHeaders(response, d));
        if (verdict.outcome().passes()) {
            if (!verdict.slots().isEmpty()) {
                // the end handlers run once, when the response is sent, fails or its connection closes; an adaptive
                // rule takes the status as the upstream's answer, and a response that never went out as none
                ctx.addEndHandler(
                        ended -> verdict.release(ended.succeeded() ? response.getStatusCode() : HeldSlots.NO_RESPONSE));
                if (response.closed() || response.ended()) {
                    // the client left while a remote limiter decided: no end handler will run, nothing was asked
                    verdict.slots().releaseUnsampled();
                }
            }
            Wait wait = verdict.waiting();
            if (!wait.isEmpty()) {
                waitThenGoOn(ctx, wait);
                return;
            }
            ctx.next();
            return;
        }
        respondRefused(ctx, verdict);
    }

    /**
     * Lets the request go on once its wait is over, holding its body back meanwhile; a request whose response ends
     * first (the client gone, a timeout) cancels the wait, freeing its place and giving its permits back.
     */
    private void waitThenGoOn(RoutingContext ctx, Wait wait) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            wait.cancel();
            return;
        }
        ctx.request().pause();
        WaitTimer timer = tollgate.waitTimer();
        long id = timer.schedule(wait.delayNanos(), () -> {
            if (wait.end()) {
                ctx.request().resume();
                ctx.next();
            }
        });
        // the end handlers run when the response is sent, fails or its connection closes: after the wait, nothing
        ctx.addEndHandler(ended -> {
            if (wait.cancel()) {
                timer.cancel(id);
            }
        });
    }

    private RequestInfo requestInfo(RoutingContext ctx, String path) {
        HttpServerRequest request = ctx.request();
        MultiMap headers = request.headers();
        String clientIp = tollgate.clientAddresses().clientIp(peerAddress(request), headers.getAll(addressHeader));
        User user = ctx.user();
        Optional<String> userId = user == null ? Optional.empty() : Optional.ofNullable(user.subject());
        return new RequestInfo(request.method().name(), path, clientIp, headers, ctx.queryParams(), userId);
    }

    /** The address of the connection's other end, as Vert.x spells it; empty when unknown. */
    public static String peerAddress(HttpServerRequest request) {
        // the connection's own: a router's request would first work out forwarding headers Tollgate never trusts
        SocketAddress peer = request.connection().remoteAddress();
        return peer == null || peer.hostAddress() == null ? "" : peer.hostAddress();
    }

    /**
     * Writes {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} of {@code decision}:
     * the headers every checked response carries, for other answers that report a decision the same way.
     */
    public static void rateLimitHeaders(HttpServerResponse response, Decision decision) {
        response.putHeader(LIMIT, Long.toString(decision.limit()));
        response.putHeader(REMAINING, Long.toString(decision.remaining()));
        response.putHeader(RESET, Long.toString(decision.resetEpochSeconds()));
    }

    private static void respondRefused(RoutingContext ctx, Verdict verdict) {
        HttpServerResponse response = ctx.response().setStatusCode(verdict.status());
        String rule = verdict.headline().map(r -> r.rule().name()).orElse(null);
        boolean json = acceptsJson(ctx.request().getHeader(HttpHeaders.ACCEPT));
        JsonObject body = new JsonObject();
        String text;
        switch (verdict.outcome()) {
            case LIMITED -> {
                response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
                body.put("error", "rate_limited").put("rule", rule).put("retryAfter", verdict.retryAfterSeconds());
                text = PLAIN_BODY;
            }
            case DENIED -> {
                body.put("error", "forbidden");
                text = "Forbidden.";
            }
            default -> {
                body.put("error", "unavailable");
                text = "Rate limiting is unavailable. Please try again later.";
            }
        }
        if (json) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(text);
        }
    }

    /** A cost header a quota rule cannot read: 400, saying what to send, before anything is counted or recorded. */
    private void respondBadCost(RoutingContext ctx, String message) {
        tollgate.metrics().refused("bad_cost");
        HttpServerResponse response = ctx.response().setStatusCode(400);
        if (acceptsJson(ctx.request().getHeader(HttpHeaders.ACCEPT))) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject()
                            .put("error", "bad_cost")
                            .put("message", message)
                            .encode());
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Bad request: " + message + ".");
        }
    }

    static boolean acceptsJson(String accept) {
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("json");
    }
}
