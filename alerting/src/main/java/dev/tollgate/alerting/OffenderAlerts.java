package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.core.Addresses;
import dev.tollgate.core.Printable;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import dev.tollgate.events.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Offender alerts: who was blocked at least {@code threshold} times in the window, told to every channel
 * and published on {@code tollgate.alerts} with {@code type: offenders}.
 *
 * <p>A run reads the top {@value OffenderAlertOptions#MAX_OFFENDERS} offenders of the window and keeps
 * those with {@code blocked_count >= threshold}; it leaves out those the event store has marked as alerted
 * within the cooldown, so that the next run — the next cron job, or the same process after a restart —
 * does not alert them again. When no offender is left, nothing is sent. Otherwise each channel is tried on
 * its own, and the offenders are marked as alerted unless every channel failed (a run with no channel
 * marks them: the event bus had the alert).
 */
public final class OffenderAlerts {

    /** The kind of the alert marks that offender alerts keep in the event store. */
    public static final String MARK_KIND = Alert.OFFENDERS;

    private static final Logger LOG = Logger.getLogger(OffenderAlerts.class.getName());

    private final Vertx vertx;
    private final EventStore store;
    private final AlertChannels channels;
    private final OffenderAlertOptions options;
    private final Clock clock;

    private OffenderAlerts(
            Vertx vertx, EventStore store, AlertChannels channels, OffenderAlertOptions options, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Offender alerts over {@code store}, told to {@code channels}, on {@code clock}'s time. */
    public static OffenderAlerts create(
            Vertx vertx, EventStore store, AlertChannels channels, OffenderAlertOptions options, Clock clock) {
        return new OffenderAlerts(vertx, store, channels, options, clock);
    }

    public OffenderAlertOptions options() {
        return options;
    }

    public AlertChannels channels() {
        return channels;
    }

    /**
     * Runs once: finds the offenders, sends and publishes the alert, marks them. The future fails (with an
     * {@link AlertingException}) only when the event store cannot say who the offenders are; a channel
     * that fails is reported in the result.
     */
    public Future<OffenderAlertResult> run() {
        if (!options.enabled()) {
            return Future.succeededFuture(OffenderAlertResult.disabled());
        }
        Instant now = Timestamps.truncate(clock.instant());
        return select(now).compose(selection -> {
            if (selection.fresh().isEmpty()) {
                return Future.succeededFuture(result(selection, Map.of()));
            }
            Alert alert = alert(options.threshold(), options.days(), selection.fresh(), now);
            vertx.eventBus().publish(Addresses.ALERTS, alert.toJson());
            return channels.send(alert)
                    .compose(deliveries ->
                            mark(selection.fresh(), deliveries, now).map(marked -> result(selection, deliveries)));
        });
    }

    /**
     * What {@link #run} would alert now, without sending, publishing or marking anything: the offenders over
     * the threshold, less those within the cooldown (listed apart), and no channel.
     */
    public Future<OffenderAlertResult> preview() {
        if (!options.enabled()) {
            return Future.succeededFuture(OffenderAlertResult.disabled());
        }
        return select(Timestamps.truncate(clock.instant())).map(selection -> result(selection, Map.of()));
    }

    /**
     * The alert naming {@code offenders}: subject {@code [tollgate] N offender(s) alert}; text
     * {@code N rate-limit offender(s) exceeded T blocked requests in the last D day(s):}, a blank line and
     * {@code key: count blocked} per offender; body {@code {"threshold", "days", "offenders": [{key,
     * blocked_count}]}}.
     */
    public static Alert alert(long threshold, int days, List<Offender> offenders, Instant time) {
        int n = offenders.size();
        List<String> lines = new ArrayList<>();
        lines.add(n + " rate-limit offender(s) exceeded " + threshold + " blocked requests in the last " + days
                + " day(s):");
        lines.add("");
        JsonArray list = new JsonArray();
        for (Offender offender : offenders) {
            // the key is client text: escaped, so that it cannot add lines of its own to the email or the log
            lines.add(Printable.escape(offender.key()) + ": " + offender.blockedCount() + " blocked");
            list.add(offender.toJson());
        }
        JsonObject body =
                new JsonObject().put("threshold", threshold).put("days", days).put("offenders", list);
        return new Alert(
                Alert.OFFENDERS, time, "[tollgate] " + n + " offender(s) alert", String.join("\n", lines), body);
    }

    /** The offenders over the threshold, split into those to alert and those within the cooldown. */
    private record Selection(List<Offender> fresh, List<Offender> coolingDown) {}

    private Future<Selection> select(Instant now) {
        return store.topOffenders(options.days(), OffenderAlertOptions.MAX_OFFENDERS)
                .recover(e -> Future.failedFuture(
                        new AlertingException("cannot read the offenders from the event store: " + e.getMessage(), e)))
                .compose(top -> {
                    List<Offender> over = top.stream()
                            .filter(offender -> offender.blockedCount() >= options.threshold())
                            .toList();
                    if (over.isEmpty() || options.cooldown().isZero()) {
                        return Future.succeededFuture(new Selection(over, List.of()));
                    }
                    return store.alertedSince(MARK_KIND, now.minus(options.cooldown()))
                            .recover(e -> Future.failedFuture(new AlertingException(
                                    "cannot read who was alerted within the cooldown from the event store: "
                                            + e.getMessage(),
                                    e)))
                            .map(alerted -> {
                                List<Offender> fresh = new ArrayList<>();
                                List<Offender> cooling = new ArrayList<>();
                                for (Offender offender : over) {
                                    if (alerted.containsKey(offender.key())) {
                                        cooling.add(offender);
                                    } else {
                                        fresh.add(offender);
                                    }
                                }
                                return new Selection(fresh, cooling);
                            });
                });
    }

    private Future<Void> mark(List<Offender> alerted, Map<String, Delivery> deliveries, Instant now) {
        boolean delivered = deliveries.isEmpty() || deliveries.values().stream().anyMatch(Delivery::sent);
        if (!delivered) {
            LOG.warning("no channel sent the offender alert; its " + alerted.size()
                    + " offender(s) stay due for the next run");
            return Future.succeededFuture();
        }
        List<String> keys = alerted.stream().map(Offender::key).toList();
        return store.recordAlerted(MARK_KIND, keys, now).recover(e -> {
            LOG.warning("the offender alert was sent but could not be marked in the event store, so the next run"
                    + " may repeat it: " + e.getMessage());
            return Future.succeededFuture();
        });
    }

    private OffenderAlertResult result(Selection selection, Map<String, Delivery> deliveries) {
        return new OffenderAlertResult(
                true, options.threshold(), options.days(), selection.fresh(), selection.coolingDown(), deliveries);
    }
}
