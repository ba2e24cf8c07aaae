package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.core.Addresses;
import dev.tollgate.core.EventBatch;
import dev.tollgate.plugin.Durations;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Traffic alerts: counts the events on {@code tollgate.events} — every node's, when clustered, taken in
 * batches from {@code tollgate.events.batches} — by the second of its clock, and at every tick compares
 * the average rate over the window with the threshold.
 * Going above it raises one {@code traffic-high} alert; coming back at or below it one
 * {@code traffic-recovered}; nothing is repeated while the rate stays on one side. Alerts are published on
 * {@code tollgate.alerts} and sent to the channels.
 *
 * <p>Every instance counts, but only the one holding the shared-data lock {@value #LOCK} raises alerts,
 * so a cluster alerts once; an instance without it asks for it again at every tick, and takes over when
 * its holder leaves.
 */
public final class TrafficAlerts extends VerticleBase {

    /** The lock whose holder raises the alerts. */
    public static final String LOCK = "tollgate.alerts.traffic";

    private static final Logger LOG = Logger.getLogger(TrafficAlerts.class.getName());
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final AlertChannels channels;
    private final TrafficAlertOptions options;
    private final Clock clock;
    private TrafficRate rate;
    private MessageConsumer<Object> consumer;
    private long timer = -1;
    private Lock lock;
    private boolean asking;
    private volatile boolean alerting;
    private volatile boolean high;
    private final AtomicLong ticks = new AtomicLong();

    private TrafficAlerts(AlertChannels channels, TrafficAlertOptions options, Clock clock) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Traffic alerts told to {@code channels}, on {@code clock}'s time. The channels stay the caller's to close. */
    public static TrafficAlerts create(AlertChannels channels, TrafficAlertOptions options, Clock clock) {
        return new TrafficAlerts(channels, options, clock);
    }

    @Override
    public Future<?> start() {
        rate = new TrafficRate(options.window().toSeconds(), options.threshold());
        consumer = vertx.eventBus()
                .consumer(
                        Addresses.EVENT_BATCHES,
                        // on a clustered bus the batch is a JSON array: its size is all this needs
                        message -> rate.record(
                                second(),
                                message.body() instanceof JsonArray events
                                        ? events.size()
                                        : EventBatch.from(message.body()).size()));
        return consumer.completion()
                .compose(v -> askForTheLock())
                .onSuccess(v -> timer = vertx.setPeriodic(options.tick().toMillis(), id -> tick()));
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        if (lock != null) {
            lock.release();
            lock = null;
        }
        return consumer.unregister();
    }

    /** Whether this instance holds the lock and so raises the alerts. */
    public boolean alerting() {
        return alerting;
    }

    /** Whether the rate was above the threshold at the last tick. */
    public boolean high() {
        return high;
    }

    /**
     * The alert for a crossing at {@code epochSecond} with {@code hits} requests in the window: its body is
     * {@code {type, time, time_utc, hits, window, rate, threshold, message}}, the shape the log monitor's
     * traffic alerts have too.
     */
    public static Alert alert(boolean raised, long epochSecond, long hits, TrafficAlertOptions options) {
        long window = options.window().toSeconds();
        double rate = hits / (double) window;
        String at = epochSecond + " (" + UTC_SECONDS.format(Instant.ofEpochSecond(epochSecond)) + " UTC)";
        String message = raised
                ? "High traffic generated an alert - hits = " + hits + ", triggered at " + at
                : "High traffic alert recovered at " + at;
        String type = raised ? Alert.TRAFFIC_HIGH : Alert.TRAFFIC_RECOVERED;
        String shown = BigDecimal.valueOf(rate)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        String threshold =
                BigDecimal.valueOf(options.threshold()).stripTrailingZeros().toPlainString();
        String subject = "[tollgate] " + (raised ? "high traffic" : "traffic recovered") + ": " + shown
                + " requests/s over " + Durations.format(options.window()) + " (threshold " + threshold + ")";
        JsonObject body = new JsonObject()
                .put("type", type)
                .put("time", epochSecond)
                .put("time_utc", ISO_MILLIS.format(Instant.ofEpochSecond(epochSecond)))
                .put("hits", hits)
                .put("window", window)
                .put("rate", rate)
                .put("threshold", options.threshold())
                .put("message", message);
        return new Alert(type, Instant.ofEpochSecond(epochSecond), subject, message, body);
    }

    /** How many times the rate was evaluated. */
    long ticks() {
        return ticks.get();
    }

    private void tick() {
        ticks.incrementAndGet();
        long second = second();
        Optional<TrafficRate.Crossing> crossing = rate.evaluate(second);
        high = rate.high();
        if (lock == null) {
            askForTheLock();
            return;
        }
        crossing.ifPresent(change -> {
            Alert alert = alert(change == TrafficRate.Crossing.HIGH, second, rate.hits(second), options);
            LOG.info(alert.text());
            vertx.eventBus().publish(Addresses.ALERTS, alert.toJson());
            channels.send(alert);
        });
    }

    private Future<Void> askForTheLock() {
        if (asking) {
            return Future.succeededFuture();
        }
        asking = true;
        return vertx.sharedData()
                .getLockWithTimeout(LOCK, 10)
                .onSuccess(held -> {
                    lock = held;
                    alerting = true;
                })
                .transform(ignored -> {
                    asking = false;
                    return Future.<Void>succeededFuture();
                });
    }

    private long second() {
        return Math.floorDiv(clock.millis(), 1000L);
    }
}
