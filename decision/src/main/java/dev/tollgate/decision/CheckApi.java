package dev.tollgate.decision;

import dev.tollgate.core.CheckAnswer;
import dev.tollgate.core.RateLimitHandler;
import dev.tollgate.core.Tollgate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /ratelimit/v1/check}: the limit-check protocol of {@code tollgate.limit.check} over HTTP, for services in
 * any language. The caller shows a service token ({@code Authorization: Bearer TOKEN}); the body is one check, or
 * {@code {"checks": [...]}} for several, answered {@code {"results": [...]}} in order. A decision is answered 200
 * whether it allows or not (the body says), with the gateway's {@code X-RateLimit-*} headers for a single check.
 * Failures are one-line JSON reasons: 400 bad input, 401 no or a wrong token, 404 unknown rule, 413 a body over the
 * bound, 415 a body that is not JSON, 429 an address that caused too many token hashes, 503 the limiter could not
 * decide (with {@code limiter.failOpen} on, an answer that allows and says {@code "failOpen": true}) or too many
 * token hashes are running. Each decision is an event with method {@code CHECK} and the token's name as its user.
 */
final class CheckApi {

    /** Where the API is mounted, on the gateway's port and on its own. */
    static final String MOUNT_POINT = "/ratelimit/v1/";

    static final String CHECK_PATH = "check";
    static final String METHOD = "CHECK";
    private static final String TOKEN = "tollgate.decision.token";
    private static final String BEARER = "bearer ";
    private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("WWW-Authenticate");

    private final Tollgate tollgate;
    private final ServiceTokens tokens;
    private final DecisionOptions options;

    CheckApi(Tollgate tollgate, ServiceTokens tokens, DecisionOptions options) {
        this.tollgate = tollgate;
        this.tokens = tokens;
        this.options = options;
    }

    /** A router of the API's routes, to mount under {@value #MOUNT_POINT}; each call builds a new one. */
    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        // the token first, on a route of its own: a body handler must come first on its route
        router.post("/" + CHECK_PATH).handler(this::authenticate);
        router.post("/" + CHECK_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
                .handler(this::check)
                .failureHandler(CheckApi::failed);
        // the rest of the mount point is the API's too: never passed on to the upstream
        router.route("/" + CHECK_PATH)
                .handler(ctx -> error(
                        ctx.response().putHeader(HttpHeaders.ALLOW, "POST"), 405, "the check API takes POST only"));
        router.route()
                .handler(ctx ->
                        error(ctx.response(), 404, "no such path; the check API is POST " + MOUNT_POINT + CHECK_PATH));
        return router;
    }

    /** A router for when no tokens are configured: the API is off, not open. */
    static Router off(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route()
                .handler(ctx -> error(
                        ctx.response(), 404, "the decision service is off: no service tokens in decision.tokens"));
        return router;
    }

    private void authenticate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !isJson(type)) {
            error(ctx.response(), 415, "expected Content-Type: application/json");
            return;
        }
        // refused before a byte of it is read or a token hashed
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            error(
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close"),
                    413,
                    "the body is over " + options.maxBodyBytes() + " bytes");
            return;
        }
        String address = tollgate.clientAddresses()
                .clientIp(
                        RateLimitHandler.peerAddress(request),
                        request.headers()
                                .getAll(tollgate.clientAddresses().header().headerName()));
        request.pause();
        tokens.check(bearer(request.getHeader(HttpHeaders.AUTHORIZATION)), address)
                .onComplete(result -> {
                    request.resume();
                    ServiceTokens.Check check = result.result();
                    HttpServerResponse response = ctx.response();
                    switch (check.outcome()) {
                        case ACCEPTED -> {
                            ctx.put(TOKEN, check.name().orElseThrow());
                            ctx.next();
                        }
                        case MISSING ->
                            error(
                                    response.putHeader(WWW_AUTHENTICATE, "Bearer realm=\"tollgate\""),
                                    401,
                                    "a service token is needed: Authorization: Bearer TOKEN");
                        case WRONG ->
                            error(
                                    response.putHeader(
                                            WWW_AUTHENTICATE, "Bearer realm=\"tollgate\", error=\"invalid_token\""),
                                    401,
                                    "the service token is not one of decision.tokens");
                        case THROTTLED ->
                            error(
                                    response.putHeader(
                                            HttpHeaders.RETRY_AFTER, Long.toString(check.retryAfterSeconds())),
                                    429,
                                    "too many token checks from " + address + "; try again in "
                                            + check.retryAfterSeconds() + " s");
                        case BUSY ->
                            error(
                                    response.putHeader(HttpHeaders.RETRY_AFTER, "1"),
                                    503,
                                    "too many token checks at once");
                    }
                });
    }

    private void check(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            error(ctx.response(), 400, "the body is empty; expected a check as JSON");
            return;
        }
        Object body;
        try {
            body = Json.decodeValue(buffer);
        } catch (DecodeException e) {
            error(ctx.response(), 400, "the body is not JSON");
            return;
        }
        Optional<String> caller = Optional.of(ctx.<String>get(TOKEN));
        if (body instanceof JsonObject object && object.containsKey("checks")) {
            batch(ctx, object, caller);
            return;
        }
        tollgate.limitChecks().check(body, METHOD, caller, true).onSuccess(answer -> {
            HttpServerResponse response = ctx.response();
            answer.decision().ifPresent(d -> RateLimitHandler.rateLimitHeaders(response, d));
            send(response, answer.status(), forHttp(answer.body()));
        });
    }

    private void batch(RoutingContext ctx, JsonObject body, Optional<String> caller) {
        if (!(body.getValue("checks") instanceof JsonArray checks) || body.size() != 1) {
            error(ctx.response(), 400, "a batch is {\"checks\": [ {...}, ... ]} and nothing else");
            return;
        }
        if (checks.isEmpty() || checks.size() > options.maxBatch()) {
            error(ctx.response(), 400, "a batch holds 1 to " + options.maxBatch() + " checks, got " + checks.size());
            return;
        }
        List<JsonObject> results = new ArrayList<>(checks.size());
        // one after another, in order: two checks of one key see each other as they would one by one
        Future<Void> done = Future.succeededFuture();
        for (Object check : checks) {
            done = done.compose(v -> tollgate.limitChecks()
                    .check(check, METHOD, caller, true)
                    .map(answer -> {
                        results.add(result(answer));
                        return null;
                    }));
        }
        done.onSuccess(v -> send(ctx.response(), 200, new JsonObject().put("results", new JsonArray(results))));
    }

    /** One answer of a batch: the decision, or the error with the status a single check would have had. */
    private static JsonObject result(CheckAnswer answer) {
        return answer.decided() ? forHttp(answer.body()) : answer.body().copy().put("status", answer.status());
    }

    /**
     * A decision as the HTTP API answers it: the bus's JSON with {@code retry_after} (whole seconds) beside
     * {@code retryAfter}, the name HTTP clients of other rate-limit services read.
     */
    private static JsonObject forHttp(JsonObject body) {
        return body.containsKey("retryAfter") ? body.copy().put("retry_after", body.getValue("retryAfter")) : body;
    }

    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        int status = ctx.statusCode() == 413 ? 413 : ctx.statusCode() == 400 ? 400 : 500;
        String message = switch (status) {
            case 413 -> "the body is over the bound";
            case 400 -> "the body cannot be read";
            default -> "the check failed";
        };
        error(ctx.response().putHeader(HttpHeaders.CONNECTION, "close"), status, message);
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > options.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static Optional<String> bearer(String authorization) {
        if (authorization == null
                || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()).trim());
    }

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    static void error(HttpServerResponse response, int status, String message) {
        send(response, status, new JsonObject().put("error", message));
    }

    private static void send(HttpServerResponse response, int status, JsonObject body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }
}
