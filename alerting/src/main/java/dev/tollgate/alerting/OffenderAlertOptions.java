package dev.tollgate.alerting;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * What makes an offender alert: keys with at least {@code threshold} blocked requests in the last
 * {@code days} days, each alerted again only once {@code cooldown} has passed.
 *
 * @param threshold blocked requests that make a key an offender; 0 or below turns offender alerts off
 * @param days      the window, at least 1
 * @param cooldown  how long an alerted key is left out of further alerts; zero alerts it on every run
 */
public record OffenderAlertOptions(long threshold, int days, Duration cooldown) {

    /** The most offenders one alert names: the top offenders of the window, by blocked requests. */
    public static final int MAX_OFFENDERS = 100;
    /** The window when none is set. */
    public static final int DEFAULT_DAYS = 1;
    /** The cooldown when none is set. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);

    public OffenderAlertOptions {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        Objects.requireNonNull(cooldown, "cooldown");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("the cooldown cannot be negative, got " + cooldown);
        }
    }

    /** Off (threshold 0), over one day, with a cooldown of one hour. */
    public static OffenderAlertOptions defaults() {
        return new OffenderAlertOptions(0, DEFAULT_DAYS, DEFAULT_COOLDOWN);
    }

    /**
     * The options in {@code alerts}, the {@code alerts} section of the configuration: {@code threshold}
     * (absent: off), {@code days}, {@code cooldown} (a duration such as {@code 1h}). Other keys of the
     * section are left to their readers.
     *
     * @throws SettingsException naming the key at fault
     */
    public static OffenderAlertOptions from(Settings alerts) {
        long days = alerts.whole("days", DEFAULT_DAYS, 1, Long.MAX_VALUE);
        if (days > Integer.MAX_VALUE) {
            throw alerts.problem("days", "expected a whole number of at least 1, got " + days);
        }
        return new OffenderAlertOptions(
                alerts.whole("threshold").orElse(0L), (int) days, alerts.duration("cooldown", DEFAULT_COOLDOWN));
    }

    /** Whether offender alerts are on: a threshold above 0. */
    public boolean enabled() {
        return threshold > 0;
    }

    public OffenderAlertOptions withThreshold(long threshold) {
        return new OffenderAlertOptions(threshold, days, cooldown);
    }

    public OffenderAlertOptions withDays(int days) {
        return new OffenderAlertOptions(threshold, days, cooldown);
    }

    public OffenderAlertOptions withCooldown(Duration cooldown) {
        return new OffenderAlertOptions(threshold, days, cooldown);
    }
}
