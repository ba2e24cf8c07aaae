package dev.tollgate.core;

/**
 * Additive increase, multiplicative decrease: a response that failed or took longer than the latency threshold
 * multiplies the limit by the backoff; one that came back in time and fine adds one, provided the limit is in use
 * (at least half of it in flight; a limit nobody reaches would otherwise grow without telling anything). Each move
 * goes {@code smoothing} of the way (all of it by default).
 */
final class AimdLimit implements AdaptiveAlgorithm {

    private final AdaptiveOptions options;
    private final long thresholdNanos;
    private double limit;

    AimdLimit(AdaptiveOptions options) {
        this.options = options;
        this.thresholdNanos = options.latencyThreshold().toNanos();
        this.limit = options.initialLimit();
    }

    @Override
    public int limit() {
        return (int) limit;
    }

    @Override
    public void sample(long latencyNanos, int inFlight, boolean dropped, long nowNanos) {
        double target;
        if (dropped || latencyNanos > thresholdNanos) {
            target = limit * options.backoff();
        } else if (inFlight * 2L >= (long) limit) {
            target = limit + 1;
        } else {
            return;
        }
        limit = AdaptiveAlgorithm.smoothed(limit, target, options);
    }

    @Override
    public String toString() {
        return "aimd " + limit;
    }
}
