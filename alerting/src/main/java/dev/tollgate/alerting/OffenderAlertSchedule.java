package dev.tollgate.alerting;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link OffenderAlerts} every {@code every}, on one node at a time: a run holds the shared-data lock
 * {@value #LOCK} (cluster-wide when the event bus is clustered) and notes when it ran in the shared map
 * {@value #MAP}, so that the other nodes' timers, which fire in between, find the run done and skip it.
 * The event store's alert marks keep an offender from being alerted twice should two runs overlap anyway.
 */
public final class OffenderAlertSchedule extends VerticleBase {

    /** The lock a run holds. */
    public static final String LOCK = "tollgate.alerts.offenders";
    /** The shared map that holds the time of the last run, in epoch milliseconds, under {@value #LAST_RUN}. */
    public static final String MAP = "tollgate.alerts";
    /** The key of the last run's time in {@value #MAP}. */
    public static final String LAST_RUN = "offenders.lastRun";

    private static final Logger LOG = Logger.getLogger(OffenderAlertSchedule.class.getName());

    private final OffenderAlerts alerts;
    private final Duration every;
    private final Clock clock;
    private long timer = -1;
    private boolean running;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();

    private OffenderAlertSchedule(OffenderAlerts alerts, Duration every, Clock clock) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.every = Objects.requireNonNull(every, "every");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (every.toMillis() < 1) {
            throw new IllegalArgumentException("alerts run at most every millisecond, got " + every);
        }
    }

    /** Runs {@code alerts} every {@code every}, the first time {@code every} after deployment. */
    public static OffenderAlertSchedule create(OffenderAlerts alerts, Duration every, Clock clock) {
        return new OffenderAlertSchedule(alerts, every, clock);
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(every.toMillis(), id -> runIfDue());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    /** How many runs this instance made. */
    public long runs() {
        return runs.get();
    }

    /** How many times the timer fired. */
    long ticks() {
        return ticks.get();
    }

    private void runIfDue() {
        ticks.incrementAndGet();
        if (running) {
            return;
        }
        running = true;
        vertx.sharedData()
                .getLockWithTimeout(LOCK, 1000)
                .onFailure(busy -> LOG.fine("offender alerts are running elsewhere; skipped"))
                .compose(lock -> runUnder().eventually(() -> {
                    lock.release();
                    return Future.succeededFuture();
                }))
                .onComplete(done -> running = false);
    }

    private Future<Void> runUnder() {
        return vertx.sharedData()
                .<String, Long>getAsyncMap(MAP)
                .compose(map -> map.get(LAST_RUN).compose(last -> {
                    long now = clock.millis();
                    // a run of another node less than 90% of a period ago counts as this period's
                    if (last != null && now < last + every.toMillis() * 9 / 10) {
                        return Future.succeededFuture();
                    }
                    return alerts.run()
                            .onSuccess(this::log)
                            .onFailure(e -> LOG.warning("offender alerts failed: " + e.getMessage()))
                            .transform(done -> putLastRun(map, now));
                }));
    }

    private Future<Void> putLastRun(AsyncMap<String, Long> map, long now) {
        runs.incrementAndGet();
        return map.put(LAST_RUN, now);
    }

    private void log(OffenderAlertResult result) {
        if (result.offenders().isEmpty()) {
            LOG.fine("offender alerts: no new offender over " + result.threshold());
            return;
        }
        LOG.log(
                result.anyFailed() ? Level.WARNING : Level.INFO,
                "offender alerts: " + result.offenders().size() + " offender(s) over " + result.threshold() + "; "
                        + result.toJson().getJsonObject("channels").encode());
    }
}
