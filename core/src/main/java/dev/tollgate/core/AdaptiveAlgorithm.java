package dev.tollgate.core;

/**
 * Moves the concurrency limit of one key of an adaptive rule from the responses that came back: one sample per
 * response, taken when it ended. Not thread-safe: its {@link AdaptiveLimiter} calls it under the key's lock.
 */
interface AdaptiveAlgorithm {

    /** The limit now: whole, between the options' {@code minLimit} and {@code maxLimit}. */
    int limit();

    /**
     * Takes the sample of one response.
     *
     * @param latencyNanos the time from the request's admission to its response's end
     * @param inFlight     the requests in flight when it ended, itself included
     * @param dropped      whether it failed: a 5xx, or no response at all
     * @param nowNanos     when it ended, on the limiter's clock
     */
    void sample(long latencyNanos, int inFlight, boolean dropped, long nowNanos);

    /** The algorithm {@code options} name, at its initial limit. */
    static AdaptiveAlgorithm of(AdaptiveOptions options) {
        return switch (options.algorithm()) {
            case AIMD -> new AimdLimit(options);
            case GRADIENT -> new GradientLimit(options);
        };
    }

    /** {@code from} moved towards {@code target} by {@code smoothing}, then held within the options' bounds. */
    static double smoothed(double from, double target, AdaptiveOptions options) {
        double moved = from + (target - from) * options.smoothing();
        return Math.max(options.minLimit(), Math.min(options.maxLimit(), moved));
    }
}
