package dev.tollgate.app;

import dev.tollgate.alerting.AlertChannels;
import dev.tollgate.alerting.Delivery;
import dev.tollgate.alerting.TrafficAlertOptions;
import dev.tollgate.alerting.TrafficAlerts;
import dev.tollgate.monitor.MonitorListener;
import dev.tollgate.monitor.TrafficAlert;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends the log monitor's traffic alerts and recoveries through the configured alert channels, in
 * the same shape {@code serve}'s traffic alerts have. Runs on the monitor's thread, waiting for the
 * channels there; a channel that fails is reported on stderr and the run goes on.
 */
final class MonitorChannels implements MonitorListener {

    private final AlertChannels channels;
    private final PrintStream err;
    private long sent;

    MonitorChannels(AlertChannels channels, PrintStream err) {
        this.channels = channels;
        this.err = err;
    }

    @Override
    public void onAlert(TrafficAlert alert) {
        TrafficAlertOptions options =
                TrafficAlertOptions.defaults().withThreshold(alert.threshold()).withWindow(alert.window());
        boolean raised = alert.kind() == TrafficAlert.Kind.HIGH;
        Map<String, Delivery> deliveries;
        try {
            deliveries = channels.send(TrafficAlerts.alert(raised, alert.epochSecond(), alert.hits(), options))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(AlertChannels.SEND_BOUND.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("tollgate monitor: the alert channels did not answer: " + e.getMessage());
            return;
        }
        deliveries.forEach((name, delivery) -> {
            if (delivery.sent()) {
                sent++;
            } else {
                err.println("tollgate monitor: alert channel " + name + " failed: "
                        + delivery.error().orElse("unknown"));
            }
        });
    }

    /** Alerts the channels accepted. */
    long sent() {
        return sent;
    }
}
