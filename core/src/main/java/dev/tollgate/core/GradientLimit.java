package dev.tollgate.core;

/**
 * The gradient of latency: the long-term latency (a mean over the first {@code longWindow} responses, then an
 * exponential average over as many) against the short-term one (the response's own), as
 * {@code limit × clamp(tolerance × long / short, 0.5, 1) + queueSize}, moved {@code smoothing} of the way
 * (a fifth by default).
 *
 * <p>While the upstream answers as fast as it usually does the gradient is 1 and the limit grows by the queue
 * allowance; when responses get slower than {@code tolerance} times the long-term latency it falls, by at most half.
 * A failed response (5xx, none at all) is taken as the steepest gradient, ½: its latency says nothing, a fast error
 * least of all. The limit does not grow while less than half of it is in flight, and a long-term latency more than
 * twice the short-term one (load just ended) falls by 5 % per response on top of the average, so it catches up
 * before the limit is held down for long.
 */
final class GradientLimit implements AdaptiveAlgorithm {

    private static final double MIN_GRADIENT = 0.5;

    private final AdaptiveOptions options;
    private double limit;
    private double longNanos;
    private long samples;

    GradientLimit(AdaptiveOptions options) {
        this.options = options;
        this.limit = options.initialLimit();
    }

    @Override
    public int limit() {
        return (int) limit;
    }

    /** The long-term latency in nanoseconds; 0 before the first response. */
    double longTermNanos() {
        return longNanos;
    }

    @Override
    public void sample(long latencyNanos, int inFlight, boolean dropped) {
        double gradient;
        if (dropped) {
            gradient = MIN_GRADIENT;
        } else {
            double shortNanos = Math.max(1, latencyNanos);
            samples = Math.min(samples + 1, options.longWindow());
            longNanos += (shortNanos - longNanos) / samples;
            if (longNanos > 2 * shortNanos) {
                longNanos *= 0.95;
            }
            if (inFlight * 2L < (long) limit) {
                return;
            }
            gradient = Math.max(MIN_GRADIENT, Math.min(1.0, options.tolerance() * longNanos / shortNanos));
        }
        limit = AdaptiveAlgorithm.smoothed(limit, limit * gradient + options.queueSize(), options);
    }

    @Override
    public String toString() {
        return "gradient " + limit + " (long-term " + longNanos + " ns)";
    }
}
