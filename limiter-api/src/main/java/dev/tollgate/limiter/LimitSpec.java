package dev.tollgate.limiter;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How many permits a key gets, over which window, with which algorithm.
 *
 * <p>{@code limit} permits per {@code window}; {@code burst} is the most a key can take at once
 * (the bucket capacity of the bucket algorithms, defaulting to {@code limit}; window algorithms
 * ignore it); {@code cost} is the number of permits one request takes.
 *
 * <p>Bounds, checked here: {@code limit}, {@code burst} and {@code cost} between 1 and {@value #MAX_PERMITS};
 * {@code cost} at most {@code burst} (otherwise no request could ever pass); {@code window} between 1 ms and
 * 365 days. A spec out of them, or one a provider cannot enforce, is refused with a {@link SettingsException}
 * whose key is the field at fault, relative to the spec ({@code burst}): whoever read the spec places it
 * {@linkplain SettingsException#under under} the spec's own key ({@code rules[2]}).
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
    /**
     * The keys a {@link SettingsException} about a spec names: its fields, relative to the spec. Any other key
     * a limiter's {@code create} refuses with is a setting's, named in full.
     */
    public static final Set<String> FIELDS = Set.of("algorithm", "limit", "window", "burst", "cost");

    public LimitSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(window, "window");
        if (algorithm.isBlank()) {
            throw new SettingsException("algorithm", "algorithm must not be empty");
        }
        checkPermits("limit", limit);
        checkPermits("burst", burst);
        checkPermits("cost", cost);
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new SettingsException(
                    "window",
                    "window must be between " + Durations.format(MIN_WINDOW) + " and " + Durations.format(MAX_WINDOW)
                            + ", got " + Durations.format(window));
        }
        if (cost > burst) {
            throw new SettingsException(
                    "cost",
                    "cost " + cost + " is more than the burst " + burst
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
     * @throws SettingsException naming the field that does not fit ({@code algorithm}, {@code cost}) and why
     */
    public void checkEnforceableBy(String algorithm, boolean windowed) {
        if (!this.algorithm.equals(algorithm)) {
            throw new SettingsException(
                    "algorithm", "the " + algorithm + " provider cannot build a " + this.algorithm + " limiter");
        }
        if (windowed && cost > limit) {
            throw new SettingsException(
                    "cost",
                    algorithm + ": cost " + cost + " is more than the limit " + limit
                            + ", so no request could ever be admitted; burst only applies to bucket algorithms");
        }
    }

    /** The window in nanoseconds. */
    public long windowNanos() {
        return window.toNanos();
    }

    private static void checkPermits(String field, long value) {
        if (value < 1 || value > MAX_PERMITS) {
            throw new SettingsException(field, field + " must be between 1 and " + MAX_PERMITS + ", got " + value);
        }
    }

    @Override
    public String toString() {
        return algorithm + " " + limit + "/" + Durations.format(window) + (burst != limit ? " burst " + burst : "")
                + (cost != 1 ? " cost " + cost : "");
    }
}
