package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the upstream answered in a range, over the served events that carry an upstream status (gateway mode): how
 * many per status class and the latency percentiles, computed over {@link LatencyHistogram} (at most 3.2 % off).
 *
 * @param range   the range
 * @param classes events per status class: index 0 for 1xx up to 4 for 5xx
 * @param p50     the median latency; empty when no event carries one
 * @param p95     the 95th percentile
 * @param p99     the 99th percentile
 */
public record UpstreamStats(
        TimeRange range, List<Long> classes, Optional<Duration> p50, Optional<Duration> p95, Optional<Duration> p99) {

    public UpstreamStats {
        Objects.requireNonNull(range, "range");
        if (classes.size() != 5) {
            throw new IllegalArgumentException("five status classes, got " + classes.size());
        }
        classes = List.copyOf(classes);
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p95, "p95");
        Objects.requireNonNull(p99, "p99");
    }

    /** The stats from counts per status class and a {@link LatencyHistogram} of the latencies. */
    public static UpstreamStats of(TimeRange range, long[] classes, long[] histogram) {
        return new UpstreamStats(
                range,
                Arrays.stream(classes).boxed().toList(),
                LatencyHistogram.percentile(histogram, 0.50),
                LatencyHistogram.percentile(histogram, 0.95),
                LatencyHistogram.percentile(histogram, 0.99));
    }

    /** The class index of a status, 0 (1xx) to 4 (5xx). */
    public static int classOf(int status) {
        return status / 100 - 1;
    }

    /** Events with an upstream status in the range. */
    public long total() {
        return classes.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@code {range, total, status_classes: {1xx..5xx}, latency_ms: {p50, p95, p99}}}, latencies in milliseconds
     * with the microseconds as decimals, {@code null} when none.
     */
    public JsonObject toJson() {
        JsonObject byClass = new JsonObject();
        for (int i = 0; i < 5; i++) {
            byClass.put((i + 1) + "xx", classes.get(i));
        }
        return new JsonObject()
                .put("range", range.name())
                .put("total", total())
                .put("status_classes", byClass)
                .put(
                        "latency_ms",
                        new JsonObject()
                                .put("p50", millis(p50))
                                .put("p95", millis(p95))
                                .put("p99", millis(p99)));
    }

    private static Double millis(Optional<Duration> latency) {
        return latency.map(value -> value.toNanos() / 1_000_000.0).orElse(null);
    }
}
