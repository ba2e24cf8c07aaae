package dev.tollgate.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One key's traffic over a range, bucket by bucket (laid out by {@link dev.tollgate.events.spi.PanelRules#layout}),
 * and its user agents: the offender page's timeline.
 *
 * @param key        the key, {@link RateLimitEvent#truncateKey truncated} as events keep it
 * @param range      the range
 * @param buckets    allowed, blocked and shadow-blocked events of the key per bucket, oldest first
 * @param userAgents the key's events per user agent in the range (all outcomes), count descending, then user agent
 *                   ascending; events without a user agent are left out
 */
public record OffenderTimeline(
        String key, TimeRange range, List<TimeSeries.Bucket> buckets, List<BlockedCount> userAgents) {

    public OffenderTimeline {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(range, "range");
        buckets = List.copyOf(buckets);
        userAgents = List.copyOf(userAgents);
    }

    /**
     * {@code {key, range, bucket_width_ms, buckets: [{start, end, allowed, blocked, shadow_blocked}],
     * user_agents: [{user_agent, count}]}}.
     */
    public JsonObject toJson() {
        JsonArray rows = new JsonArray();
        buckets.forEach(bucket -> rows.add(bucket.toJson()));
        JsonArray agents = new JsonArray();
        userAgents.forEach(agent -> agents.add(agent.toJson("user_agent", "count")));
        return new JsonObject()
                .put("key", key)
                .put("range", range.name())
                .put("bucket_width_ms", range.bucket().toMillis())
                .put("buckets", rows)
                .put("user_agents", agents);
    }
}
