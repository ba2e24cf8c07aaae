package dev.tollgate.core;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.QuotaPeriod;
import io.vertx.core.json.JsonObject;

/**
 * What a key used of a quota rule in the current period, or for a rolling period in the current window.
 *
 * @param rule     the quota rule
 * @param key      the key
 * @param decision the key's state, as a request of the rule's cost would see it: {@code count} is the use
 * @param period   the current period; for a rolling period, the window: from the start of its first day to the end of
 *                 the current day
 */
public record QuotaUsage(Rule rule, String key, Decision decision, QuotaPeriod.Bounds period) {

    /** The permits the key took in the period. */
    public long used() {
        return decision.count();
    }

    /**
     * The usage as the quotas API answers it: {@code rule}, {@code period}, {@code zone}, {@code used}, {@code limit},
     * {@code remaining}, {@code periodStart} and {@code periodEnd} (ISO-8601 UTC) and {@code reset} (in epoch seconds,
     * as {@code X-RateLimit-Reset}: the period's end, or for a rolling period when the oldest day with use leaves the
     * window).
     */
    public JsonObject toJson() {
        QuotaPeriod quota = rule.quotaPeriod().orElseThrow();
        return new JsonObject()
                .put("rule", rule.name())
                .put("period", quota.id())
                .put("zone", quota.zoneName())
                .put("used", used())
                .put("limit", decision.limit())
                .put("remaining", decision.remaining())
                .put("periodStart", period.start().toString())
                .put("periodEnd", period.end().toString())
                .put(
                        "reset",
                        quota.rolling()
                                ? decision.resetEpochSeconds()
                                : period.end().getEpochSecond());
    }
}
