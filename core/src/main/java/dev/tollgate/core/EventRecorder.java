package dev.tollgate.core;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves events from {@code tollgate.events} — taken in batches from {@code tollgate.events.batches} — into
 * the event store: a bounded buffer, appends in batches (when a batch is full or the flush interval
 * passes), and retries with back-off while the
 * store is down, so a short outage loses nothing. Events are dropped, and counted, only when the
 * buffer is full. Everything runs on this verticle's event loop; the request path only publishes.
 * Stopping flushes what is buffered, waiting up to the shutdown timeout.
 */
public final class EventRecorder extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
    private static final long FIRST_BACKOFF_MS = 100;

    private final EventStore store;
    private final RecorderOptions options;
    private final TollgateMetrics metrics;
    private final ArrayDeque<RateLimitEvent> buffer = new ArrayDeque<>();
    private MessageConsumer<EventBatch> consumer;
    private long timer = -1;
    private boolean appending;
    private long backoffMs;
    private long retryAt;
    private boolean warnedFull;

    public EventRecorder(EventStore store, RecorderOptions options, TollgateMetrics metrics) {
        this.store = store;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        // local only: on a clustered bus every node records its own events, once
        consumer = vertx.eventBus().localConsumer(Addresses.EVENT_BATCHES,
                message -> message.body().events().forEach(this::offer));
        timer = vertx.setPeriodic(options.flushInterval().toMillis(), id -> flush());
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        Promise<Void> drained = Promise.promise();
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        return consumer.unregister().compose(v -> {
            drain(drained, deadline);
            return drained.future();
        });
    }

    private void drain(Promise<Void> drained, long deadline) {
        if (buffer.isEmpty() && !appending) {
            drained.complete();
            return;
        }
        if (System.nanoTime() > deadline) {
            int lost = buffer.size();
            buffer.clear();
            metrics.dropped(lost);
            metrics.buffered(0);
            LOG.warning("the event store did not take the last " + lost + " events before shutdown; they are lost");
            drained.complete();
            return;
        }
        retryAt = 0;
        flush();
        vertx.setTimer(20, id -> drain(drained, deadline));
    }

    private void offer(RateLimitEvent event) {
        if (buffer.size() >= options.bufferSize()) {
            metrics.dropped(1);
            if (!warnedFull) {
                warnedFull = true;
                LOG.warning("the event buffer is full (" + options.bufferSize() + "); new events are dropped until the store catches up");
            }
            return;
        }
        buffer.add(event);
        metrics.buffered(buffer.size());
        if (buffer.size() >= options.batchSize()) {
            flush();
        }
    }

    private void flush() {
        if (appending || buffer.isEmpty() || System.currentTimeMillis() < retryAt) {
            return;
        }
        List<RateLimitEvent> batch = new ArrayList<>(Math.min(buffer.size(), options.batchSize()));
        while (batch.size() < options.batchSize() && !buffer.isEmpty()) {
            batch.add(buffer.poll());
        }
        appending = true;
        long started = System.nanoTime();
        Future<Void> append;
        try {
            append = store.append(batch);
        } catch (RuntimeException e) {
            append = Future.failedFuture(e);
        }
        append.onComplete(result -> {
            appending = false;
            if (result.succeeded()) {
                metrics.recorded(batch.size(), System.nanoTime() - started);
                if (backoffMs > 0) {
                    LOG.info("the event store is back; recording resumed");
                }
                backoffMs = 0;
                warnedFull = false;
            } else {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    buffer.addFirst(batch.get(i));
                }
                metrics.appendFailed();
                backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(backoffMs * 2, options.maxBackoff().toMillis());
                retryAt = System.currentTimeMillis() + backoffMs;
                LOG.log(Level.WARNING, "appending " + batch.size() + " events failed (" + result.cause().getMessage()
                        + "); retrying in " + backoffMs + " ms, " + buffer.size() + " buffered");
                vertx.setTimer(backoffMs, id -> flush());
            }
            metrics.buffered(buffer.size());
            if (buffer.size() >= options.batchSize()) {
                flush();
            }
        });
    }
}
