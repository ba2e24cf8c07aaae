package dev.tollgate.alerting;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * When traffic alerts are raised: the average number of requests per second over {@code window} goes
 * above {@code threshold} ({@code traffic-high}), or comes back at or below it ({@code traffic-recovered}).
 *
 * @param threshold requests per second; 0 or below turns traffic alerts off
 * @param window    the window the rate is averaged over, whole seconds, from 1 s to 1 day
 * @param tick      how often the rate is evaluated
 */
public record TrafficAlertOptions(double threshold, Duration window, Duration tick) {

    /** The threshold when none is set, in requests per second. */
    public static final double DEFAULT_THRESHOLD = 10;
    /** The window when none is set. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    /** How often the rate is evaluated when nothing else is set: every second. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    public TrafficAlertOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(tick, "tick");
        if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the threshold must be a number, got " + threshold);
        }
        if (window.toMillis() % 1000 != 0 || window.toSeconds() < 1 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(
                    "the window must be whole seconds from 1s to 1d, got " + Durations.format(window));
        }
        if (tick.toMillis() < 1) {
            throw new IllegalArgumentException("the tick must be at least 1 ms, got " + tick);
        }
    }

    /** 10 requests per second over 2 minutes, evaluated every second. */
    public static TrafficAlertOptions defaults() {
        return new TrafficAlertOptions(DEFAULT_THRESHOLD, DEFAULT_WINDOW, DEFAULT_TICK);
    }

    /**
     * The options in {@code traffic}, the {@code alerts.traffic} section of the configuration:
     * {@code threshold} and {@code window}.
     *
     * @throws SettingsException naming the key at fault
     */
    public static TrafficAlertOptions from(Settings traffic) {
        double threshold = traffic.number("threshold", DEFAULT_THRESHOLD);
        if (!Double.isFinite(threshold)) {
            throw traffic.problem("threshold", "expected a number, got '" + traffic.value("threshold") + "'");
        }
        Duration window = traffic.duration("window", DEFAULT_WINDOW);
        try {
            return new TrafficAlertOptions(threshold, window, DEFAULT_TICK);
        } catch (IllegalArgumentException e) {
            throw traffic.problem("window", e.getMessage());
        }
    }

    /** Whether traffic alerts are on: a threshold above 0. */
    public boolean enabled() {
        return threshold > 0;
    }

    public TrafficAlertOptions withThreshold(double threshold) {
        return new TrafficAlertOptions(threshold, window, tick);
    }

    public TrafficAlertOptions withWindow(Duration window) {
        return new TrafficAlertOptions(threshold, window, tick);
    }

    public TrafficAlertOptions withTick(Duration tick) {
        return new TrafficAlertOptions(threshold, window, tick);
    }
}
