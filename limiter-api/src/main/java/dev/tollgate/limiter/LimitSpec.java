package dev.tollgate.limiter;

import dev.tollgate.plugin.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How many permits a key gets, over which window, with which algorithm.
 *
 * <p>{@code limit} permits per {@code window}; {@code burst} is the most a key can take at once
 * (the bucket capacity of the bucket algorithms, defaulting to {@code limit}; window algorithms
 * ignore it); {@code cost} is the number of permits one request takes.
 *
 * <p>Bounds, checked here with messages naming the field: {@code limit}, {@code burst} and
 * {@code cost} between 1 and {@value #MAX_PERMITS}; {@code cost} at most {@code burst} (otherwise
 * no request could ever pass); {@code window} between 1 ms and 365 days.
 *
 * @param algorithm the algorithm's name, as its {@link dev.tollgate.limiter.spi.LimiterProvider} knows it
 * @param limit     permits per window
 * @param window    the period over which {@code limit} applies
 * @param burst     the most permits a key can hold at once (bucket algorithms)
 * @param cost      permits one request takes
 */
public record LimitSpec(String algorithm, long limit, Duration window, long burst, long cost) {

    /** The largest limit, burst or cost: the integer arithmetic of every backend stays exact below it. */
    public static final long MAX_PERMITS = 1_000_000_000L;
    /** The shortest window. */
    public static final Duration MIN_WINDOW = Duration.ofMillis(1);
    /** The longest window. */
    public static final Duration MAX_WINDOW = Duration.ofDays(365);

    public LimitSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(window, "window");
        if (algorithm.isBlank()) {
            throw new IllegalArgumentException("algorithm must not be empty");
        }
        checkPermits("limit", limit);
        checkPermits("burst", burst);
        checkPermits("cost", cost);
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be between " + Durations.format(MIN_WINDOW) + " and "
                    + Durations.format(MAX_WINDOW) + ", got " + Durations.format(window));
        }
        if (cost > burst) {
            throw new IllegalArgumentException("cost " + cost + " is more than the burst " + burst
                    + ": no request could ever be admitted; raise burst or lower cost");
        }
    }

    /** {@code limit} permits per {@code window}, burst equal to the limit, one permit per request. */
    public static LimitSpec of(String algorithm, long limit, Duration window) {
        checkPermits("limit", limit);
        return new LimitSpec(algorithm, limit, window, limit, 1);
    }

    /** The same spec with another burst (bucket capacity). */
    public LimitSpec withBurst(long burst) {
        return new LimitSpec(algorithm, limit, window, burst, cost);
    }

    /** The same spec with another cost per request. */
    public LimitSpec withCost(long cost) {
        return new LimitSpec(algorithm, limit, window, burst, cost);
    }

    /** The same spec under another algorithm. */
    public LimitSpec withAlgorithm(String algorithm) {
        return new LimitSpec(algorithm, limit, window, burst, cost);
    }

    /**
     * Checks that a provider of {@code algorithm} can enforce this spec: the algorithm names agree and,
     * for a window algorithm — whose capacity is the limit, the burst being for buckets — the cost fits
     * the limit. Providers call it first in {@code create}.
     *
     * @param windowed whether {@code algorithm} counts requests in windows rather than in a bucket
     * @throws IllegalArgumentException saying what does not fit
     */
    public void checkEnforceableBy(String algorithm, boolean windowed) {
        if (!this.algorithm.equals(algorithm)) {
            throw new IllegalArgumentException(
                    "the " + algorithm + " provider cannot build a " + this.algorithm + " limiter");
        }
        if (windowed && cost > limit) {
            throw new IllegalArgumentException(algorithm + ": cost " + cost + " is more than the limit " + limit
                    + ", so no request could ever be admitted; burst only applies to bucket algorithms");
        }
    }

    /** The window in nanoseconds. */
    public long windowNanos() {
        return window.toNanos();
    }

    private static void checkPermits(String field, long value) {
        if (value < 1 || value > MAX_PERMITS) {
            throw new IllegalArgumentException(field + " must be between 1 and " + MAX_PERMITS + ", got " + value);
        }
    }

    @Override
    public String toString() {
        return algorithm + " " + limit + "/" + Durations.format(window) + (burst != limit ? " burst " + burst : "")
                + (cost != 1 ? " cost " + cost : "");
    }
}
