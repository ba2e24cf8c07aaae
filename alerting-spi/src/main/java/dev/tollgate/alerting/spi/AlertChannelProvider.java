package dev.tollgate.alerting.spi;

import dev.tollgate.plugin.Provider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;

/**
 * Makes {@link AlertChannel}s of one kind: {@code email}, {@code webhook}, {@code log}, a third party's.
 *
 * <p>An implementation keeps the rules of every {@link Provider}, which for alert channels read:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.alerting.spi.AlertChannelProvider}, or is registered by code
 *       (with {@code AlertChannelRegistry.register} of {@code tollgate-alerting});</li>
 *   <li>answers {@link #name()} with a constant, lower-case name, the one configurations use: the channel
 *       {@code webhook} is configured at {@code alerts.channels.webhook};</li>
 *   <li>reads its settings from the {@link Settings} that {@link #create} is given, the channel's own
 *       section, through its getters: it applies a default to every absent key, refuses a key it does not
 *       know (a likely typo) with {@link Settings#requireOnly}, and refuses a value it cannot use with a
 *       {@link SettingsException} naming the full key, as the getters and {@link Settings#problem} do
 *       ({@code alerts.channels.email.smtp.port: expected a port between 1 and 65535, got '0'});</li>
 *   <li>does no I/O in {@link #create}: a channel connects when it sends, so a destination that is down at
 *       start-up fails its alerts, not the start;</li>
 *   <li>is thread-safe: one provider makes many channels, from any thread;</li>
 *   <li>makes channels that keep every rule of {@link AlertChannel} and pass the contract suite
 *       ({@code dev.tollgate.alerting.spi.AlertChannelContract} in the test-jar of this module,
 *       {@code tollgate-alerting-spi}).</li>
 * </ol>
 */
public interface AlertChannelProvider extends Provider {

    /**
     * A channel configured by {@code settings}, its section of the configuration, that does its I/O on
     * {@code vertx}.
     *
     * @throws SettingsException naming the full key of the setting at fault
     */
    AlertChannel create(Vertx vertx, Settings settings);
}
