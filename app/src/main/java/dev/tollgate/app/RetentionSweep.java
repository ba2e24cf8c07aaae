package dev.tollgate.app;

import dev.tollgate.events.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.shareddata.LocalMap;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code serve}'s pruning of the event log: every {@code events.cleanupEvery}, events older than
 * {@code events.retentionDays} are deleted in batches, on one node at a time. A run holds the
 * shared-data lock {@value #LOCK} (cluster-wide when clustered) and notes its time in the shared map
 * {@value #MAP}, so the other nodes' timers, firing in between, find the run done and skip it.
 */
final class RetentionSweep extends VerticleBase {

    static final String LOCK = "tollgate.events.cleanup";
    static final String MAP = "tollgate.events";
    static final String LAST_RUN = "cleanup.lastRun";

    private static final Logger LOG = Logger.getLogger(RetentionSweep.class.getName());
    private static final int BATCH = 1_000;

    private final EventStore store;
    private final int retentionDays;
    private final Duration every;
    private long timer = -1;
    private boolean running;
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();

    RetentionSweep(EventStore store, int retentionDays, Duration every) {
        this.store = store;
        this.retentionDays = retentionDays;
        this.every = every;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(every.toMillis(), id -> tick());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    /** Events this node's runs deleted. */
    long deleted() {
        return deleted.get();
    }

    /** Runs this node made. */
    long runs() {
        return runs.get();
    }

    private void tick() {
        if (running) {
            return;
        }
        running = true;
        vertx.sharedData()
                .getLockWithTimeout(LOCK, 1_000)
                .compose(lock -> lastRun()
                        .compose(last -> {
                            long now = System.currentTimeMillis();
                            if (last != null && now - last < every.toMillis() - 100) {
                                return Future.<Void>succeededFuture();
                            }
                            return store.deleteOlderThan(retentionDays, BATCH).compose(count -> {
                                deleted.addAndGet(count);
                                runs.incrementAndGet();
                                if (count > 0) {
                                    LOG.info("deleted " + count + " event(s) older than " + retentionDays + " day(s)");
                                }
                                return markRun(now);
                            });
                        })
                        .eventually(() -> {
                            lock.release();
                            return Future.succeededFuture();
                        }))
                .onFailure(e -> {
                    if (!(e.getMessage() != null && e.getMessage().contains("Timed out"))) {
                        LOG.log(Level.WARNING, "pruning the event log failed: " + e.getMessage());
                    }
                })
                .onComplete(v -> running = false);
    }

    private Future<Long> lastRun() {
        if (vertx.isClustered()) {
            return vertx.sharedData().<String, Long>getAsyncMap(MAP).compose(map -> map.get(LAST_RUN));
        }
        LocalMap<String, Long> map = vertx.sharedData().getLocalMap(MAP);
        return Future.succeededFuture(map.get(LAST_RUN));
    }

    private Future<Void> markRun(long at) {
        if (vertx.isClustered()) {
            return vertx.sharedData().<String, Long>getAsyncMap(MAP).compose(map -> map.put(LAST_RUN, at));
        }
        vertx.sharedData().<String, Long>getLocalMap(MAP).put(LAST_RUN, at);
        return Future.succeededFuture();
    }
}
