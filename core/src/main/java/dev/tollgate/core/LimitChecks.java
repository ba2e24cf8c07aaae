package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The limit-check protocol, shared by everything that asks for decisions from outside the request path: the bus's
 * {@code tollgate.limit.check} and the decision service's HTTP API and bridge, so that they read checks, decide,
 * record and count alike. A check is {@code {"rule": "api", "key": "job:42", "permits": 1}} ({@code permits} defaults
 * to 1), or {@code {"rule": "api", "request": {"path", "method", "headers", "address"}}}: the rule's own key resolver
 * then picks the key from the request described, its path {@link RequestPath normalized} as the gateway's are.
 *
 * <p>Each decision is published as an event with the caller's method ({@code BUS}, {@code CHECK}) and counted in
 * {@code tollgate_decisions_total}. A shadow rule never refuses: the answer says {@code "allowed": true},
 * {@code "shadow": true}, and {@code "shadowBlocked"} whether the rule would have refused. Any thread may check.
 */
public final class LimitChecks {

    /** The most headers a described request may carry. */
    public static final int MAX_HEADERS = 100;

    private static final String EXPECTED = "expected {\"rule\": ..., \"key\": ..., \"permits\": ...}"
            + " or {\"rule\": ..., \"request\": {\"path\": ..., \"method\": ..., \"headers\": {...}, \"address\": ...}}";

    private final Tollgate tollgate;
    private final VerdictAssembler verdicts;
    private final boolean failOpen;

    LimitChecks(Tollgate tollgate, VerdictAssembler verdicts, boolean failOpen) {
        this.tollgate = tollgate;
        this.verdicts = verdicts;
        this.failOpen = failOpen;
    }

    /**
     * Decides {@code check} and publishes its event.
     *
     * @param method       the event's method: how the check came ({@code BUS}, {@code CHECK})
     * @param caller       who asked (a service token's name), recorded as the event's user; empty when unknown
     * @param honourFailOpen whether a limiter that cannot decide gives an allowed answer saying {@code "failOpen": true}
     *                     when {@code limiter.failOpen} is on, as the gateway would serve the request; without it, or
     *                     with {@code failOpen} off, the answer is 503
     */
    public Future<CheckAnswer> check(Object check, String method, Optional<String> caller, boolean honourFailOpen) {
        if (!(check instanceof JsonObject body)) {
            return Future.succeededFuture(CheckAnswer.failure(400, EXPECTED));
        }
        String rule = body.getValue("rule") instanceof String s ? s : null;
        if (rule == null || rule.isEmpty()) {
            return Future.succeededFuture(CheckAnswer.failure(400, "missing 'rule'"));
        }
        Object permitsValue = body.getValue("permits", 1L);
        if (!(permitsValue instanceof Number permits)
                || permits.doubleValue() != Math.floor(permits.doubleValue())
                || permits.longValue() < 1) {
            return Future.succeededFuture(CheckAnswer.failure(400, "'permits' must be a whole number of at least 1"));
        }
        Object key = body.getValue("key");
        Object described = body.getValue("request");
        Future<RuleResult> decided;
        Optional<RequestInfo> request = Optional.empty();
        if (key instanceof String k && !k.isEmpty() && described == null) {
            decided = tollgate.checkKey(rule, k, permits.longValue());
        } else if (key == null && described != null) {
            try {
                request = Optional.of(requestInfo(described));
            } catch (IllegalArgumentException e) {
                return Future.succeededFuture(CheckAnswer.failure(400, e.getMessage()));
            }
            decided = tollgate.checkRequest(rule, request.get(), permits.longValue());
        } else {
            return Future.succeededFuture(
                    CheckAnswer.failure(400, "give either 'key' (a non-empty text) or 'request'"));
        }
        Optional<RequestInfo> asked = request;
        return decided.transform(result -> {
            if (result.succeeded()) {
                return Future.succeededFuture(answer(result.result(), method, caller, asked));
            }
            if (result.cause() instanceof IllegalArgumentException bad) {
                return Future.succeededFuture(
                        CheckAnswer.failure(bad instanceof UnknownRuleException ? 404 : 400, bad.getMessage()));
            }
            tollgate.metrics().decision(rule, "failed");
            String why = "the limiter could not decide: " + result.cause().getMessage();
            if (honourFailOpen && failOpen) {
                return Future.succeededFuture(new CheckAnswer(
                        200,
                        new JsonObject().put("allowed", true).put("rule", rule).put("failOpen", true),
                        Optional.empty()));
            }
            return Future.succeededFuture(CheckAnswer.failure(503, why));
        });
    }

    private CheckAnswer answer(RuleResult result, String method, Optional<String> caller, Optional<RequestInfo> asked) {
        String rule = result.rule().name();
        RateLimitEvent event = verdicts.eventFor(
                result, asked.map(RequestInfo::path).orElse(""), method, asked.map(RequestInfo::clientIp), caller);
        tollgate.metrics().decision(rule, !event.allowed() ? "blocked" : event.shadow() ? "shadow_blocked" : "allowed");
        tollgate.publish(event);
        // a shadow rule never refuses: the caller goes ahead, told what the rule would have said
        JsonObject reply = result.decision().orElseThrow().toJson().put("rule", rule);
        if (result.rule().shadow()) {
            reply.put("allowed", true).put("shadow", true).put("shadowBlocked", event.shadow());
        }
        return new CheckAnswer(200, reply, result.decision());
    }

    /**
     * The request a check describes.
     *
     * @throws IllegalArgumentException naming the field at fault
     */
    private RequestInfo requestInfo(Object described) {
        if (!(described instanceof JsonObject request)) {
            throw new IllegalArgumentException(
                    "'request' must be an object: {\"path\", \"method\", \"headers\", \"address\"}");
        }
        String rawPath = text(request, "path", "/");
        int query = rawPath.indexOf('?');
        Optional<String> path = RequestPath.normalize(
                query < 0 ? rawPath : rawPath.substring(0, query), tollgate.keepsEncodedSlashes());
        if (path.isEmpty()) {
            throw new IllegalArgumentException("'request.path' has an encoded slash or backslash, a control character"
                    + " or a broken percent-escape");
        }
        MultiMap parameters = MultiMap.caseInsensitiveMultiMap();
        if (query >= 0) {
            new QueryStringDecoder(rawPath.substring(query + 1), false)
                    .parameters()
                    .forEach(parameters::add);
        }
        String method = text(request, "method", "GET").toUpperCase(Locale.ROOT);
        String address = text(request, "address", "");
        if (!address.isEmpty()) {
            address = IpAddress.canonical(address)
                    .orElseThrow(() -> new IllegalArgumentException("'request.address' must be an IP address"));
        }
        return new RequestInfo(
                method, path.get(), address, headers(request.getValue("headers")), parameters, Optional.empty());
    }

    private static MultiMap headers(Object value) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (value == null) {
            return headers;
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("'request.headers' must be an object of names and values");
        }
        if (object.size() > MAX_HEADERS) {
            throw new IllegalArgumentException("'request.headers' has more than " + MAX_HEADERS + " names");
        }
        for (Map.Entry<String, Object> header : object) {
            if (header.getValue() instanceof String single) {
                headers.add(header.getKey(), single);
            } else if (header.getValue() instanceof JsonArray many
                    && many.size() <= MAX_HEADERS
                    && many.stream().allMatch(String.class::isInstance)) {
                List<String> values = many.stream().map(String.class::cast).toList();
                headers.add(header.getKey(), values);
            } else {
                throw new IllegalArgumentException(
                        "'request.headers." + header.getKey() + "' must be a text or a list of texts");
            }
        }
        return headers;
    }

    private static String text(JsonObject object, String name, String defaultValue) {
        Object value = object.getValue(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("'request." + name + "' must be a text");
        }
        return text;
    }
}
