package dev.tollgate.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Blocked events (enforced blocks) per rule over a range, bucket by bucket (laid out by
 * {@link dev.tollgate.events.spi.PanelRules#layout}): the {@code maxRules} rules with the most blocked events in the
 * whole range (count descending, then name ascending) each get a series, and every other blocked event — of other
 * rules, or naming no rule (a deny list) — counts in {@code other}.
 *
 * @param range   the range
 * @param rules   the ranked rules, at most {@code maxRules}
 * @param buckets the buckets, oldest first
 */
public record BlockedByRule(TimeRange range, List<String> rules, List<Bucket> buckets) {

    public BlockedByRule {
        Objects.requireNonNull(range, "range");
        rules = List.copyOf(rules);
        buckets = List.copyOf(buckets);
    }

    /**
     * The answer from blocked counts per rule name ({@code ""} for none) and bucket index, each array as long as
     * {@code layout}.
     */
    public static BlockedByRule of(
            TimeRange range, List<TimeSeries.Bucket> layout, Map<String, long[]> blockedByRule, int maxRules) {
        List<Map.Entry<String, Long>> totals = new ArrayList<>();
        blockedByRule.forEach((rule, counts) -> {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            if (!rule.isEmpty() && total > 0) {
                totals.add(Map.entry(rule, total));
            }
        });
        totals.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> ranked =
                totals.stream().limit(maxRules).map(Map.Entry::getKey).toList();
        List<Bucket> buckets = new ArrayList<>(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            long[] ofRanked = new long[ranked.size()];
            long all = 0;
            for (long[] counts : blockedByRule.values()) {
                all += counts[i];
            }
            long named = 0;
            for (int r = 0; r < ranked.size(); r++) {
                ofRanked[r] = blockedByRule.get(ranked.get(r))[i];
                named += ofRanked[r];
            }
            TimeSeries.Bucket place = layout.get(i);
            buckets.add(new Bucket(place.start(), place.end(), List.of(box(ofRanked)), all - named));
        }
        return new BlockedByRule(range, ranked, buckets);
    }

    private static Long[] box(long[] counts) {
        Long[] boxed = new Long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            boxed[i] = counts[i];
        }
        return boxed;
    }

    /** {@code {range, bucket_width_ms, rules, buckets: [{start, end, blocked: {RULE: n}, other}]}}. */
    public JsonObject toJson() {
        JsonArray rows = new JsonArray();
        for (Bucket bucket : buckets) {
            JsonObject blocked = new JsonObject();
            for (int r = 0; r < rules.size(); r++) {
                blocked.put(rules.get(r), bucket.blocked().get(r));
            }
            rows.add(new JsonObject()
                    .put("start", Timestamps.format(bucket.start()))
                    .put("end", Timestamps.format(bucket.end()))
                    .put("blocked", blocked)
                    .put("other", bucket.other()));
        }
        return new JsonObject()
                .put("range", range.name())
                .put("bucket_width_ms", range.bucket().toMillis())
                .put("rules", new JsonArray(new ArrayList<>(rules)))
                .put("buckets", rows);
    }

    /**
     * One bucket.
     *
     * @param start   its first millisecond
     * @param end     the first millisecond after it
     * @param blocked the blocked events of each ranked rule in it, in the order of {@link #rules()}
     * @param other   the other blocked events in it
     */
    public record Bucket(Instant start, Instant end, List<Long> blocked, long other) {

        public Bucket {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            blocked = List.copyOf(blocked);
        }
    }
}
