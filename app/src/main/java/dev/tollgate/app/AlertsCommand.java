package dev.tollgate.app;

import dev.tollgate.alerting.AlertChannelRegistry;
import dev.tollgate.alerting.AlertChannels;
import dev.tollgate.alerting.Delivery;
import dev.tollgate.alerting.OffenderAlertOptions;
import dev.tollgate.alerting.OffenderAlertResult;
import dev.tollgate.alerting.OffenderAlerts;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate alerts}: runs offender alerts once, for cron. Exit codes: 0 when every configured channel
 * sent (or there was nothing to send), 1 when one failed, 2 for bad configuration or arguments.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Tell the configured alert channels which keys were blocked at least THRESHOLD times "
                + "(run it from cron; see docs/alerting.md).")
final class AlertsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigFile config = new ConfigFile();

    @Option(
            names = "--threshold",
            paramLabel = "N",
            description = "Blocked requests that make an offender (default: alerts.threshold; 0 or less: off).")
    Long threshold;

    @Option(names = "--days", paramLabel = "D", description = "The window in days (default: alerts.days).")
    Integer days;

    @Option(names = "--dry-run", description = "List the offenders that would be alerted; send nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    AlertsCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (days != null && days < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--days must be at least 1, got " + days);
        }
        TollgateConfig loaded = config.load(env);
        loaded.logging().apply();
        OffenderAlertOptions options = OffenderAlertOptions.from(loaded.alerts());
        if (threshold != null) {
            options = options.withThreshold(threshold);
        }
        if (days != null) {
            options = options.withDays(days);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!options.enabled()) {
            out.println(
                    json
                            ? OffenderAlertResult.disabled().toJson().encodePrettily()
                            : "alerts disabled (threshold " + options.threshold()
                                    + " <= 0): set alerts.threshold or pass " + "--threshold N");
            out.flush();
            return 0;
        }
        Vertx vertx = Vertx.vertx();
        try {
            AlertChannels channels = AlertChannelRegistry.fromServiceLoader()
                    .open(vertx, loaded.alerts().under("channels"));
            EventStore store = null;
            try {
                store = Blocking.await(ConfiguredStore.openShared(vertx, loaded, "tollgate alerts"));
                OffenderAlerts alerts = OffenderAlerts.create(vertx, store, channels, options, Clock.systemUTC());
                OffenderAlertResult result = Blocking.await(dryRun ? alerts.preview() : alerts.run());
                out.println(json ? result.toJson().encodePrettily() : report(result, channels));
                out.flush();
                return result.anyFailed() ? 1 : 0;
            } finally {
                if (store != null) {
                    Blocking.await(store.close());
                }
                Blocking.await(channels.close());
            }
        } finally {
            Blocking.await(vertx.close());
        }
    }

    private String report(OffenderAlertResult result, AlertChannels channels) {
        List<String> lines = new ArrayList<>();
        String summary = (dryRun ? "dry run: " : "") + result.offenders().size() + " offender(s) over threshold "
                + result.threshold() + " in the last " + result.days() + " day(s)"
                + (result.coolingDown().isEmpty()
                        ? ""
                        : " (" + result.coolingDown().size() + " more alerted within the cooldown)");
        if (dryRun || result.offenders().isEmpty()) {
            lines.add(summary + "; nothing sent");
        } else if (result.channels().isEmpty()) {
            lines.add(summary + "; channels: none configured");
        } else {
            List<String> outcomes = new ArrayList<>();
            result.channels().forEach((name, delivery) -> outcomes.add(outcome(name, delivery)));
            lines.add(summary + "; channels: " + String.join(", ", outcomes));
        }
        for (Offender offender : result.offenders()) {
            lines.add("  " + offender.key() + ": " + offender.blockedCount());
        }
        if (dryRun) {
            for (Offender offender : result.coolingDown()) {
                lines.add("  " + offender.key() + ": " + offender.blockedCount() + " (alerted within the cooldown)");
            }
            if (!result.offenders().isEmpty()) {
                lines.add(
                        "would send to: " + (channels.isEmpty() ? "no channel" : String.join(", ", channels.names())));
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String outcome(String name, Delivery delivery) {
        return delivery.sent()
                ? name + " sent"
                : name + " failed: " + delivery.error().orElse("");
    }
}
