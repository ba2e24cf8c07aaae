package dev.tollgate.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The drill-down of one key over the window.
 *
 * <p>A key with no events in the window has zero counts, no first or last sighting and empty lists
 * ({@link #empty}). Counts are those of {@link TrafficSummary}, for the key's events:
 * {@code total = allowed + blocked + shadowBlocked} and {@code blockRate = blocked / total} ({@code 0.0} when
 * empty), checked by the constructor.
 *
 * @param key           the client identity
 * @param days          the window, in days back from now
 * @param total         events of the key in the window
 * @param allowed       events of the key served with no rule objecting
 * @param blocked       refused events of the key (enforced blocks)
 * @param shadowBlocked events of the key served although a shadow rule would have refused them
 * @param blockRate     {@code blocked / total}
 * @param firstSeen     the earliest event of the key in the window
 * @param lastSeen      the latest event of the key in the window
 * @param byPath        blocked events per path, count descending then path ascending, at most {@value #MAX_PATHS}
 *                      rows; enforced blocks only
 * @param recentEvents  the key's latest events in the window, newest first
 * @param range         the range of an answer over a {@link TimeRange}, empty for an answer over {@code days}; then
 *                      {@code days} is the range's whole days, 0 when it is shorter than a day or not of whole days
 */
public record OffenderDetail(
        String key,
        int days,
        long total,
        long allowed,
        long blocked,
        long shadowBlocked,
        double blockRate,
        Optional<Instant> firstSeen,
        Optional<Instant> lastSeen,
        List<PathCount> byPath,
        List<RecentEvent> recentEvents,
        Optional<TimeRange> range) {

    /** The most rows {@link #byPath} holds. */
    public static final int MAX_PATHS = 20;

    public OffenderDetail {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(range, "range");
        TrafficSummary.checkCounts(total, allowed, blocked, shadowBlocked);
        if (Double.compare(blockRate, TrafficSummary.blockRate(blocked, total)) != 0) {
            throw new IllegalArgumentException("blockRate must be blocked / total = "
                    + TrafficSummary.blockRate(blocked, total) + ", got " + blockRate);
        }
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        byPath = List.copyOf(byPath);
        recentEvents = List.copyOf(recentEvents);
        if (byPath.size() > MAX_PATHS) {
            throw new IllegalArgumentException("byPath holds at most " + MAX_PATHS + " rows, got " + byPath.size());
        }
    }

    /** A detail answered over {@code days}. */
    public OffenderDetail(
            String key,
            int days,
            long total,
            long allowed,
            long blocked,
            long shadowBlocked,
            double blockRate,
            Optional<Instant> firstSeen,
            Optional<Instant> lastSeen,
            List<PathCount> byPath,
            List<RecentEvent> recentEvents) {
        this(
                key,
                days,
                total,
                allowed,
                blocked,
                shadowBlocked,
                blockRate,
                firstSeen,
                lastSeen,
                byPath,
                recentEvents,
                Optional.empty());
    }

    /** The same detail as an answer over {@code range}: its {@link #days} those of the range, 0 if not whole. */
    public OffenderDetail in(TimeRange range) {
        return new OffenderDetail(
                key,
                range.wholeDays().orElse(0),
                total,
                allowed,
                blocked,
                shadowBlocked,
                blockRate,
                firstSeen,
                lastSeen,
                byPath,
                recentEvents,
                Optional.of(range));
    }

    /**
     * The detail of a key with {@code allowed}, {@code blocked} and {@code shadowBlocked} events in the window, the
     * total and block rate computed.
     */
    public static OffenderDetail of(
            String key,
            int days,
            long allowed,
            long blocked,
            long shadowBlocked,
            Optional<Instant> firstSeen,
            Optional<Instant> lastSeen,
            List<PathCount> byPath,
            List<RecentEvent> recentEvents) {
        long total = allowed + blocked + shadowBlocked;
        return new OffenderDetail(
                key,
                days,
                total,
                allowed,
                blocked,
                shadowBlocked,
                TrafficSummary.blockRate(blocked, total),
                firstSeen,
                lastSeen,
                byPath,
                recentEvents);
    }

    /** The detail of a key that has no events in the window. */
    public static OffenderDetail empty(String key, int days) {
        return of(key, days, 0, 0, 0, Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    /**
     * {@code {key, days, total, allowed, blocked, shadow_blocked, block_rate, first_seen, last_seen, by_path,
     * recent_events}}; the times are {@code null} when the key was not seen. Over a range, {@code range} and
     * {@code range_ms} stand in place of {@code days}, as {@link TrafficSummary#toJson()} has it.
     */
    public JsonObject toJson() {
        JsonArray paths = new JsonArray();
        byPath.forEach(row -> paths.add(row.toJson()));
        JsonArray recent = new JsonArray();
        recentEvents.forEach(event -> recent.add(event.toJson()));
        return TrafficSummary.window(new JsonObject().put("key", key), days, range)
                .put("total", total)
                .put("allowed", allowed)
                .put("blocked", blocked)
                .put("shadow_blocked", shadowBlocked)
                .put("block_rate", blockRate)
                .put("first_seen", firstSeen.map(Timestamps::format).orElse(null))
                .put("last_seen", lastSeen.map(Timestamps::format).orElse(null))
                .put("by_path", paths)
                .put("recent_events", recent);
    }

    /**
     * Blocked events of the key on one path.
     *
     * @param path  the request path
     * @param count blocked events on it, at least 1
     */
    public record PathCount(String path, long count) {

        public PathCount {
            Objects.requireNonNull(path, "path");
            if (count < 1) {
                throw new IllegalArgumentException("a path row counts at least one blocked event, got " + count);
            }
        }

        /** {@code {path, count}}. */
        public JsonObject toJson() {
            return new JsonObject().put("path", path).put("count", count);
        }
    }

    /**
     * One of the key's latest events, without the fields the drill-down already shows.
     *
     * @param timestamp when it happened
     * @param path      the request path
     * @param method    the HTTP method
     * @param allowed   whether it was served
     * @param shadow    whether a shadow rule would have refused it (see {@link RateLimitEvent#shadow()})
     * @param count     permits counted against the key at the time
     * @param limit     the limit the key was held to
     * @param ruleName  the deciding rule, {@code ""} when none
     */
    public record RecentEvent(
            Instant timestamp,
            String path,
            String method,
            boolean allowed,
            boolean shadow,
            long count,
            long limit,
            String ruleName) {

        public RecentEvent {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(ruleName, "ruleName");
        }

        /** The recent-event view of {@code event}. */
        public static RecentEvent of(RateLimitEvent event) {
            return new RecentEvent(
                    event.timestamp(),
                    event.path(),
                    event.method(),
                    event.allowed(),
                    event.shadow(),
                    event.count(),
                    event.limit(),
                    event.ruleName());
        }

        /** Whether it was served although a shadow rule would have refused it: {@code allowed && shadow}. */
        public boolean shadowBlocked() {
            return allowed && shadow;
        }

        /** {@code {timestamp, path, method, allowed, shadow, count, limit, rule_name}}. */
        public JsonObject toJson() {
            return new JsonObject()
                    .put("timestamp", Timestamps.format(timestamp))
                    .put("path", path)
                    .put("method", method)
                    .put("allowed", allowed)
                    .put("shadow", shadow)
                    .put("count", count)
                    .put("limit", limit)
                    .put("rule_name", ruleName);
        }
    }
}
