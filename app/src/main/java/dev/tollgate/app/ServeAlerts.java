package dev.tollgate.app;

import dev.tollgate.alerting.AlertChannelRegistry;
import dev.tollgate.alerting.AlertChannels;
import dev.tollgate.alerting.OffenderAlertOptions;
import dev.tollgate.alerting.OffenderAlertSchedule;
import dev.tollgate.alerting.OffenderAlerts;
import dev.tollgate.alerting.TrafficAlertOptions;
import dev.tollgate.alerting.TrafficAlerts;
import dev.tollgate.events.EventStore;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The alerting of {@code tollgate serve}: offender alerts every {@code alerts.every} (on one node at a time
 * when clustered) and the traffic alerts, both told to the channels of {@code alerts.channels}, which this
 * verticle owns and closes when it is undeployed.
 */
final class ServeAlerts extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(ServeAlerts.class.getName());

    private final AlertChannels channels;
    private final Optional<OffenderAlerts> offenders;
    private final Duration every;
    private final Optional<TrafficAlertOptions> traffic;

    private ServeAlerts(
            AlertChannels channels,
            Optional<OffenderAlerts> offenders,
            Duration every,
            Optional<TrafficAlertOptions> traffic) {
        this.channels = channels;
        this.offenders = offenders;
        this.every = every;
        this.traffic = traffic;
    }

    /** Deploys what {@code config} turns on; a bad alerts setting fails with a {@link SettingsException}. */
    static Future<String> deploy(Vertx vertx, TollgateConfig config, Optional<EventStore> store) {
        Settings alerts = config.alerts();
        OffenderAlertOptions offenderOptions = OffenderAlertOptions.from(alerts);
        TrafficAlertOptions trafficOptions = TrafficAlertOptions.from(alerts.under("traffic"));
        Duration every = alerts.duration("every").orElseThrow();
        AlertChannels channels = AlertChannelRegistry.fromServiceLoader().open(vertx, alerts.under("channels"));
        Optional<OffenderAlerts> offenders = Optional.empty();
        if (offenderOptions.enabled() && store.isPresent()) {
            offenders = Optional.of(
                    OffenderAlerts.create(vertx, store.get(), channels, offenderOptions, Clock.systemUTC()));
        } else if (offenderOptions.enabled()) {
            LOG.warning("offender alerts need the event log: they are off while events.enabled is false");
        }
        Optional<TrafficAlertOptions> traffic =
                trafficOptions.enabled() && config.eventsEnabled() ? Optional.of(trafficOptions) : Optional.empty();
        return vertx.deployVerticle(new ServeAlerts(channels, offenders, every, traffic));
    }

    @Override
    public Future<?> start() {
        List<Future<String>> deployments = new ArrayList<>();
        List<String> on = new ArrayList<>();
        offenders.ifPresent(alerts -> {
            deployments.add(vertx.deployVerticle(OffenderAlertSchedule.create(alerts, every, Clock.systemUTC())));
            on.add("offender alerts every " + Durations.format(every) + " at "
                    + alerts.options().threshold() + " blocked requests in "
                    + alerts.options().days() + " day(s)");
        });
        traffic.ifPresent(options -> {
            deployments.add(vertx.deployVerticle(TrafficAlerts.create(channels, options, Clock.systemUTC())));
            on.add("traffic alerts above " + options.threshold() + " requests/s over "
                    + Durations.format(options.window()));
        });
        if (!on.isEmpty()) {
            LOG.info(String.join("; ", on) + "; channels: "
                    + (channels.isEmpty() ? "none (the event bus only)" : String.join(", ", channels.names())));
        }
        return Future.all(deployments);
    }

    @Override
    public Future<?> stop() {
        return channels.close();
    }
}
