package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * How much traffic the window saw, how much of it was blocked, and how much a shadow rule would have blocked.
 *
 * <p>Every event of the window counts in exactly one of three counts (see {@link RateLimitEvent}):
 * {@code allowed} (served, no shadow rule objecting), {@code blocked} (refused) and {@code shadowBlocked} (served,
 * but a shadow rule would have refused it). So {@code total = allowed + blocked + shadowBlocked}, the requests
 * served are {@code allowed + shadowBlocked} ({@link #served()}), and {@code blockRate = blocked / total} as an
 * unrounded {@code double}, {@code 0.0} when the window is empty: a shadow rule's would-be refusals never raise the
 * block rate. The constructor refuses anything else, so build one with {@link #of}.
 *
 * <p>An answer over a {@link TimeRange} ({@link EventStore#trafficSummary(TimeRange)}) holds its range; one over
 * {@code days} holds none, and its JSON is that of the reference reports.
 *
 * @param days          the window, in days back from now; for an answer over a range, its whole days, 0 when it is
 *                      shorter than a day or not of whole days
 * @param total         events in the window
 * @param allowed       events served with no rule objecting
 * @param blocked       events refused (enforced blocks)
 * @param shadowBlocked events served although a shadow rule would have refused them
 * @param blockRate     {@code blocked / total}
 * @param range         the range of an answer over a range, empty for an answer over {@code days}
 */
public record TrafficSummary(
        int days,
        long total,
        long allowed,
        long blocked,
        long shadowBlocked,
        double blockRate,
        Optional<TimeRange> range) {

    public TrafficSummary {
        Objects.requireNonNull(range, "range");
        checkCounts(total, allowed, blocked, shadowBlocked);
        if (Double.compare(blockRate, blockRate(blocked, total)) != 0) {
            throw new IllegalArgumentException(
                    "blockRate must be blocked / total = " + blockRate(blocked, total) + ", got " + blockRate);
        }
    }

    /** The summary of a window of {@code days}, as answered over {@code days}. */
    public TrafficSummary(int days, long total, long allowed, long blocked, long shadowBlocked, double blockRate) {
        this(days, total, allowed, blocked, shadowBlocked, blockRate, Optional.empty());
    }

    /** The summary of the window of {@code range} holding these counts of events, the total and block rate computed. */
    public static TrafficSummary of(TimeRange range, long allowed, long blocked, long shadowBlocked) {
        return of(0, allowed, blocked, shadowBlocked).in(range);
    }

    /** The same counts as an answer over {@code range}: its {@link #days} those of the range, 0 if not whole. */
    public TrafficSummary in(TimeRange range) {
        return new TrafficSummary(
                range.wholeDays().orElse(0), total, allowed, blocked, shadowBlocked, blockRate, Optional.of(range));
    }

    /** The summary of a window of {@code days} holding these counts of events, the total and block rate computed. */
    public static TrafficSummary of(int days, long allowed, long blocked, long shadowBlocked) {
        long total = allowed + blocked + shadowBlocked;
        return new TrafficSummary(days, total, allowed, blocked, shadowBlocked, blockRate(blocked, total));
    }

    /** The summary of a window of {@code days} holding {@code allowed} and {@code blocked} events and no shadow-blocked. */
    public static TrafficSummary of(int days, long allowed, long blocked) {
        return of(days, allowed, blocked, 0);
    }

    /** The requests that were served: {@code allowed + shadowBlocked}. */
    public long served() {
        return allowed + shadowBlocked;
    }

    /**
     * {@code {days, total, allowed, blocked, shadow_blocked, block_rate}}; over a range {@code {range, range_ms, total,
     * ...}} instead, with the range's name and length in milliseconds in place of {@code days}.
     */
    public JsonObject toJson() {
        return window(new JsonObject(), days, range)
                .put("total", total)
                .put("allowed", allowed)
                .put("blocked", blocked)
                .put("shadow_blocked", shadowBlocked)
                .put("block_rate", blockRate);
    }

    /** Puts {@code days}, or the {@code range} and {@code range_ms} of a range, into {@code json}. */
    static JsonObject window(JsonObject json, int days, Optional<TimeRange> range) {
        if (range.isPresent()) {
            return json.put("range", range.get().name())
                    .put("range_ms", range.get().length().toMillis());
        }
        return json.put("days", days);
    }

    /** {@code blocked / total}, unrounded; {@code 0.0} when {@code total} is 0. */
    static double blockRate(long blocked, long total) {
        return total == 0 ? 0.0 : (double) blocked / total;
    }

    static void checkCounts(long total, long allowed, long blocked, long shadowBlocked) {
        if (allowed < 0 || blocked < 0 || shadowBlocked < 0 || total != allowed + blocked + shadowBlocked) {
            throw new IllegalArgumentException("counts must be non-negative with total = allowed + blocked"
                    + " + shadowBlocked, got total=" + total + ", allowed=" + allowed + ", blocked=" + blocked
                    + ", shadowBlocked=" + shadowBlocked);
        }
    }
}
