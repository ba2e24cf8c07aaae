package dev.tollgate.events;

import java.time.Duration;
import java.util.Optional;

/**
 * The fixed histogram every store computes upstream latency percentiles over, so that all stores answer alike:
 * latencies in whole microseconds, 0 to 15 µs each in a bucket of its own, above that 16 buckets per power of two
 * (bucket width 1/16 of the power, at most 6.25 % of the values in it). A percentile is reported as the middle of its
 * bucket: at most 3.2 % (half a bucket) from the exact value, and exact below 16 µs.
 *
 * <p>Bucket of {@code micros ≥ 16}: with {@code e = floor(log2 micros)} and {@code s = (micros >> (e − 4)) & 15},
 * bucket {@code 16 + (e − 4) × 16 + s}; stores may compute it in SQL from the same integers.
 */
public final class LatencyHistogram {

    /** How many buckets the histogram has: enough for {@link RateLimitEvent#MAX_UPSTREAM_LATENCY}. */
    public static final int BUCKETS = 16 + 28 * 16;

    private LatencyHistogram() {}

    /** The bucket of a latency of {@code micros} (≥ 0) microseconds. */
    public static int bucket(long micros) {
        if (micros < 16) {
            return (int) Math.max(0, micros);
        }
        int e = 63 - Long.numberOfLeadingZeros(micros);
        int s = (int) ((micros >> (e - 4)) & 15);
        return Math.min(BUCKETS - 1, 16 + (e - 4) * 16 + s);
    }

    /** The value a bucket reports, in microseconds: its middle (its only value below 16). */
    public static long value(int bucket) {
        if (bucket < 16) {
            return bucket;
        }
        int e = (bucket - 16) / 16 + 4;
        int s = (bucket - 16) % 16;
        long low = (16L + s) << (e - 4);
        long width = 1L << (e - 4);
        return low + width / 2;
    }

    /**
     * The {@code p}-th percentile (nearest rank: the smallest value with at least {@code ceil(p × n)} of the {@code n}
     * counted latencies at or below it) of the histogram {@code counts}, or empty when it counts none.
     */
    public static Optional<Duration> percentile(long[] counts, double p) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Optional.empty();
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Optional.of(Duration.ofNanos(value(i) * 1000));
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
