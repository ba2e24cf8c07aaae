package dev.tollgate.events;

import io.vertx.core.json.JsonObject;

/**
 * How much traffic the window saw and how much of it was blocked.
 *
 * <p>{@code total = allowed + blocked}, and {@code blockRate = blocked / total} as an unrounded
 * {@code double}, {@code 0.0} when the window is empty; the constructor refuses anything else, so
 * build one with {@link #of}.
 *
 * @param days      the window, in days back from now
 * @param total     events in the window
 * @param allowed   allowed events in the window
 * @param blocked   blocked events in the window
 * @param blockRate {@code blocked / total}
 */
public record TrafficSummary(int days, long total, long allowed, long blocked, double blockRate) {

    public TrafficSummary {
        checkCounts(total, allowed, blocked);
        if (Double.compare(blockRate, blockRate(blocked, total)) != 0) {
            throw new IllegalArgumentException("blockRate must be blocked / total = " + blockRate(blocked, total)
                    + ", got " + blockRate);
        }
    }

    /** The summary of a window of {@code days} holding {@code allowed} and {@code blocked} events. */
    public static TrafficSummary of(int days, long allowed, long blocked) {
        return new TrafficSummary(days, allowed + blocked, allowed, blocked, blockRate(blocked, allowed + blocked));
    }

    /** {@code {days, total, allowed, blocked, block_rate}}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("days", days)
                .put("total", total)
                .put("allowed", allowed)
                .put("blocked", blocked)
                .put("block_rate", blockRate);
    }

    /** {@code blocked / total}, unrounded; {@code 0.0} when {@code total} is 0. */
    static double blockRate(long blocked, long total) {
        return total == 0 ? 0.0 : (double) blocked / total;
    }

    static void checkCounts(long total, long allowed, long blocked) {
        if (allowed < 0 || blocked < 0 || total != allowed + blocked) {
            throw new IllegalArgumentException("counts must be non-negative with total = allowed + blocked, got total="
                    + total + ", allowed=" + allowed + ", blocked=" + blocked);
        }
    }
}
