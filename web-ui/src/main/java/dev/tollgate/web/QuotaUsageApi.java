package dev.tollgate.web;

import dev.tollgate.core.QuotaUsage;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code api/quotas?key=}: what a key used of every quota rule in force in the current period of each, highest
 * priority first: {@code {"key": ..., "quotas": [{rule, period, zone, used, limit, remaining, periodStart, periodEnd,
 * reset}]}}. The key is written as events write it ({@code ip:203.0.113.5}, {@code header:x-api-key:abc}); a missing,
 * empty or longer key than events keep ({@value RateLimitEvent#MAX_KEY} characters) is a 400, a backend that cannot
 * answer a 503. Reading the usage takes nothing.
 */
final class QuotaUsageApi {

    private final Tollgate tollgate;

    QuotaUsageApi(Tollgate tollgate) {
        this.tollgate = tollgate;
    }

    void usage(RoutingContext ctx) {
        String key = Parameters.first(ctx, "key").orElse("");
        if (key.isEmpty()) {
            Responses.json(
                    ctx,
                    400,
                    new JsonObject()
                            .put(
                                    "error",
                                    "missing ?key= parameter: the key as events show it, such as ip:203.0.113.5"));
            return;
        }
        if (key.length() > RateLimitEvent.MAX_KEY) {
            Responses.json(
                    ctx,
                    400,
                    new JsonObject()
                            .put(
                                    "error",
                                    "the key is longer than " + RateLimitEvent.MAX_KEY
                                            + " characters; give it as events show it"));
            return;
        }
        tollgate.quotaUsage(key).onComplete(answer -> {
            if (answer.failed()) {
                Responses.json(
                        ctx,
                        503,
                        new JsonObject().put("error", "the limiter backend could not answer; try again later"));
                return;
            }
            JsonArray quotas = new JsonArray();
            for (QuotaUsage usage : answer.result()) {
                quotas.add(usage.toJson());
            }
            Responses.json(ctx, 200, new JsonObject().put("key", key).put("quotas", quotas));
        });
    }
}
