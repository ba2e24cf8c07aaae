package dev.tollgate.alerting;

import java.util.Arrays;
import java.util.Optional;

/**
 * Requests per second of clock time and the alert state over them: at second {@code t}, the rate is the
 * requests of the seconds in {@code (t − window, t]} divided by the window; it is high once it goes above
 * the threshold and until it is back at or below it. Not thread-safe: one event loop drives it.
 */
final class TrafficRate {

    /** A change of state. */
    enum Crossing {
        HIGH,
        RECOVERED
    }

    private final long window;
    private final double threshold;
    private final long[] seconds;
    private final long[] counts;
    private boolean high;

    TrafficRate(long windowSeconds, double threshold) {
        this.window = windowSeconds;
        this.threshold = threshold;
        // a little more than the window: requests stamped a second or two ahead of an evaluation still count
        this.seconds = new long[(int) windowSeconds + 3];
        this.counts = new long[seconds.length];
        Arrays.fill(seconds, Long.MIN_VALUE);
    }

    /** Counts {@code requests} requests in {@code second}. */
    void record(long second, long requests) {
        int slot = (int) Math.floorMod(second, (long) seconds.length);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += requests;
    }

    /** The requests in the window ending at {@code second}. */
    long hits(long second) {
        long hits = 0;
        for (int i = 0; i < seconds.length; i++) {
            if (seconds[i] > second - window && seconds[i] <= second) {
                hits += counts[i];
            }
        }
        return hits;
    }

    /** The average rate over the window ending at {@code second}. */
    double rate(long second) {
        return hits(second) / (double) window;
    }

    /** The change of state at {@code second}, if there is one. */
    Optional<Crossing> evaluate(long second) {
        double rate = rate(second);
        if (!high && rate > threshold) {
            high = true;
            return Optional.of(Crossing.HIGH);
        }
        if (high && rate <= threshold) {
            high = false;
            return Optional.of(Crossing.RECOVERED);
        }
        return Optional.empty();
    }

    boolean high() {
        return high;
    }
}
