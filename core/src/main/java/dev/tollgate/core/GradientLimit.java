package dev.tollgate.core;

/**
 * The gradient of latency against the upstream's unloaded latency: each response moves the limit to
 * {@code limit × clamp(tolerance × unloaded / latency, 0.5, 1) + queueSize}, {@code smoothing} of the way.
 *
 * <p>The unloaded latency is measured, not averaged from what comes back: an average of responses that are already
 * queued follows the queue up, and under an overload that lasts the limit would climb with it. So the first response
 * starts a <em>probe</em>, and so does the first one {@code probeInterval} after the last probe ended: the limit is
 * held at {@code minLimit} until the requests admitted before have drained and {@value #PROBE_SAMPLES} responses have
 * come back with at most {@code minLimit} in flight; the quickest of those is the unloaded latency, and the limit goes
 * back to where it was before the probe. A failed response counts for nothing in a probe.
 *
 * <p>Between probes, while responses come back within {@code tolerance} times the unloaded latency the gradient is 1
 * and the limit grows by the queue allowance; when they take longer it falls, by at most half. A failed response
 * (5xx, none at all) is taken as the steepest gradient, ½: its latency says nothing, a fast error least of all. The
 * limit does not grow while less than half of it is in flight.
 */
final class GradientLimit implements AdaptiveAlgorithm {

    /** The responses with at most {@code minLimit} in flight a probe takes the quickest of. */
    static final int PROBE_SAMPLES = 10;

    private static final double MIN_GRADIENT = 0.5;

    private final AdaptiveOptions options;
    private final long probeIntervalNanos;
    private double limit;
    /** The unloaded latency the last probe measured; 0 before the first. */
    private long unloadedNanos;

    private boolean probing;
    private double limitBeforeProbe;
    private int probeSamples;
    private long probeQuickest;
    private long nextProbeNanos = Long.MIN_VALUE;

    GradientLimit(AdaptiveOptions options) {
        this.options = options;
        this.probeIntervalNanos = options.probeInterval().toNanos();
        this.limit = options.initialLimit();
    }

    @Override
    public int limit() {
        return probing ? options.minLimit() : (int) limit;
    }

    /** The unloaded latency in nanoseconds, as the last probe measured it; 0 before the first probe ends. */
    long unloadedNanos() {
        return unloadedNanos;
    }

    /** Whether a probe holds the limit at {@code minLimit} now. */
    boolean probing() {
        return probing;
    }

    @Override
    public void sample(long latencyNanos, int inFlight, boolean dropped, long nowNanos) {
        if (probing) {
            if (!dropped && inFlight <= options.minLimit()) {
                probeQuickest = Math.min(probeQuickest, Math.max(1, latencyNanos));
                if (++probeSamples >= PROBE_SAMPLES) {
                    unloadedNanos = probeQuickest;
                    probing = false;
                    limit = limitBeforeProbe;
                    nextProbeNanos = nowNanos + probeIntervalNanos;
                }
            }
            return;
        }
        if (nowNanos >= nextProbeNanos) {
            probing = true;
            limitBeforeProbe = limit;
            probeSamples = 0;
            probeQuickest = Long.MAX_VALUE;
            return;
        }
        double gradient;
        if (dropped) {
            gradient = MIN_GRADIENT;
        } else {
            if (inFlight * 2L < (long) limit) {
                return;
            }
            double latency = Math.max(1, latencyNanos);
            gradient = Math.max(MIN_GRADIENT, Math.min(1.0, options.tolerance() * unloadedNanos / latency));
        }
        limit = AdaptiveAlgorithm.smoothed(limit, limit * gradient + options.queueSize(), options);
    }

    @Override
    public String toString() {
        return "gradient " + limit + (probing ? " (probing)" : " (unloaded " + unloadedNanos + " ns)");
    }
}
