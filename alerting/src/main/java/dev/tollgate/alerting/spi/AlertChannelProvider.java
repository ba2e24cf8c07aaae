package dev.tollgate.alerting.spi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Makes {@link AlertChannel}s of one kind: {@code email}, {@code webhook}, {@code log}, a third party's.
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.alerting.spi.AlertChannelProvider}, or is registered by code
 *       with {@link dev.tollgate.alerting.AlertChannelRegistry#register};</li>
 *   <li>answers {@link #name()} with a constant, lower-case name, the one configurations use
 *       ({@code alerts.channels.webhook});</li>
 *   <li>reads its settings from the {@code config} it is given, the channel's own section of the
 *       configuration, applies a default to every absent key, refuses a key it does not know (a likely
 *       typo), and throws a {@link dev.tollgate.plugin.SettingsException} naming the key within that section
 *       ({@code smtp.port}) and what would be valid when one is wrong;</li>
 *   <li>does no I/O in {@link #create}: a channel connects when it sends, so a destination that is down at
 *       start-up fails its alerts, not the start;</li>
 *   <li>makes channels that keep every rule of {@link AlertChannel} and pass the contract suite
 *       ({@code dev.tollgate.alerting.spi.AlertChannelContract} in the test-jar of this module).</li>
 * </ol>
 */
public interface AlertChannelProvider {

    /** The channel's name, as configurations spell it. */
    String name();

    /**
     * A channel configured by {@code config} that does its I/O on {@code vertx}.
     *
     * @throws dev.tollgate.plugin.SettingsException naming the key of {@code config} at fault
     */
    AlertChannel create(Vertx vertx, JsonObject config);
}
