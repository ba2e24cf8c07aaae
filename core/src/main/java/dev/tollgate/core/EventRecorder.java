package dev.tollgate.core;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Moves events from {@code tollgate.events} — taken in batches from {@code tollgate.events.batches} — into
 * the event store: a bounded buffer (in events and in bytes), appends in batches (when a batch is full or
 * the flush interval passes), and retries with back-off while the store is down, so a short outage loses
 * nothing.
 *
 * <p>With a spool ({@link RecorderOptions#spoolDir()}), what the buffer cannot hold goes to disk, and so
 * does what is still buffered at shutdown when the store cannot take it; the spool is replayed into the
 * store when it answers — at the next start at the latest — each batch exactly once
 * ({@link EventStore#appendBatch}). Events are lost only when neither the store nor the spool can take
 * them: they are counted in {@code tollgate_events_dropped_total} and logged, once per outage.
 *
 * <p>An outage of the store is logged twice: when it begins and when it ends (with how long it lasted and
 * what waited meanwhile). Everything runs on this verticle's event loop, the spool's file I/O on an
 * ordered worker; the request path only publishes.
 */
public final class EventRecorder extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
    private static final long FIRST_BACKOFF_MS = 100;
    /** What an event costs in the buffer besides its texts: the object, its fields, the deque's slot. */
    private static final long EVENT_OVERHEAD_BYTES = 120;

    private final EventStore store;
    private final RecorderOptions options;
    private final TollgateMetrics metrics;
    private final Optional<EventSpool> spool;
    private final ArrayDeque<RateLimitEvent> buffer = new ArrayDeque<>();
    private long bufferBytes;
    /** Events past the buffer's bounds, waiting to be written to the spool. */
    private List<RateLimitEvent> overflow = new ArrayList<>();

    private MessageConsumer<Object> consumer;
    private long timer = -1;
    private boolean appending;
    private boolean spooling;
    private boolean replayTurn;
    private boolean spoolPending;
    private long backoffMs;
    private long retryAt;
    private long outageStarted;
    private boolean warnedFull;
    private boolean warnedLost;
    private boolean stopping;

    public EventRecorder(EventStore store, RecorderOptions options, TollgateMetrics metrics) {
        this.store = store;
        this.options = options;
        this.metrics = metrics;
        this.spool = options.spoolDir().map(dir -> new EventSpool(dir, options.spoolMaxBytes()));
    }

    @Override
    public Future<?> start() {
        // local only: on a clustered bus every node records its own events, once
        consumer = vertx.eventBus()
                .localConsumer(
                        Addresses.EVENT_BATCHES,
                        message -> EventBatch.from(message.body()).events().forEach(this::offer));
        timer = vertx.setPeriodic(options.flushInterval().toMillis(), id -> {
            flush();
            spill();
        });
        if (spool.isPresent()) {
            blocking(() -> spool.get().hasPending()).onSuccess(pending -> {
                spoolPending = pending;
                metrics.spoolPending(spool.get().pendingEvents());
                if (pending) {
                    LOG.info("the spool " + spool.get().dir() + " holds "
                            + spool.get().pendingEvents()
                            + " event(s) from an earlier run; replaying them into the store");
                    flush();
                }
            });
        }
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(timer);
        Promise<Void> drained = Promise.promise();
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        return consumer.unregister()
                .compose(v -> {
                    drain(drained, deadline);
                    return drained.future();
                })
                .compose(v -> spool.map(s -> blocking(() -> {
                                    s.close();
                                    return null;
                                })
                                .<Void>mapEmpty())
                        .orElse(Future.succeededFuture()));
    }

    private void drain(Promise<Void> drained, long deadline) {
        if (appending || spooling) {
            vertx.setTimer(20, id -> drain(drained, deadline));
            return;
        }
        if (buffer.isEmpty() && overflow.isEmpty()) {
            drained.complete();
            return;
        }
        boolean storeDown = backoffMs > 0;
        if (storeDown || System.nanoTime() > deadline) {
            List<RateLimitEvent> rest = new ArrayList<>(buffer.size() + overflow.size());
            rest.addAll(buffer);
            rest.addAll(overflow);
            buffer.clear();
            bufferBytes = 0;
            overflow = new ArrayList<>();
            metrics.buffered(0);
            String why = storeDown
                    ? "the event store is down"
                    : "the event store did not take them within "
                            + options.shutdownTimeout().toSeconds() + " s";
            if (spool.isEmpty()) {
                metrics.dropped(rest.size());
                LOG.warning(why + " at shutdown: the last " + rest.size() + " event(s) are lost (no events.spoolDir)");
                drained.complete();
                return;
            }
            writeToSpool(rest).onComplete(written -> {
                if (written.succeeded()) {
                    LOG.warning(why + " at shutdown: " + rest.size() + " event(s) written to the spool "
                            + spool.get().dir() + "; they are replayed into the store at the next start");
                }
                drained.complete();
            });
            return;
        }
        retryAt = 0;
        flush();
        vertx.setTimer(20, id -> drain(drained, deadline));
    }

    private void offer(RateLimitEvent event) {
        if (buffer.size() >= options.bufferSize() || bufferBytes >= options.bufferBytes()) {
            overflow(event);
            return;
        }
        buffer.add(event);
        bufferBytes += bytes(event);
        metrics.buffered(buffer.size());
        if (buffer.size() >= options.batchSize()) {
            flush();
        }
    }

    private void overflow(RateLimitEvent event) {
        if (spool.isEmpty() || overflow.size() >= options.bufferSize()) {
            metrics.dropped(1);
            if (!warnedFull) {
                warnedFull = true;
                LOG.warning("the event buffer is full (" + options.bufferSize() + " events or " + options.bufferBytes()
                        + " bytes)"
                        + (spool.isEmpty() ? " and there is no spool (events.spoolDir)" : " and the spool lags")
                        + "; new events are dropped and counted until the store catches up");
            }
            return;
        }
        if (!warnedFull) {
            warnedFull = true;
            LOG.warning("the event buffer is full (" + options.bufferSize() + " events or " + options.bufferBytes()
                    + " bytes); new events go to the spool " + spool.get().dir() + " until the store catches up");
        }
        overflow.add(event);
        if (overflow.size() >= options.batchSize()) {
            spill();
        }
    }

    /** Writes the overflow to the spool, one batch at a time. */
    private void spill() {
        if (spooling || overflow.isEmpty() || spool.isEmpty()) {
            return;
        }
        List<RateLimitEvent> batch = overflow;
        overflow = new ArrayList<>();
        writeToSpool(batch).onComplete(v -> {
            if (overflow.size() >= options.batchSize()) {
                spill();
            }
        });
    }

    private Future<Void> writeToSpool(List<RateLimitEvent> events) {
        spooling = true;
        EventSpool target = spool.get();
        return blocking(() -> {
                    for (int from = 0; from < events.size(); from += options.batchSize()) {
                        target.write(events.subList(from, Math.min(events.size(), from + options.batchSize())));
                    }
                    return null;
                })
                .andThen(result -> {
                    spooling = false;
                    if (result.succeeded()) {
                        metrics.spooled(events.size());
                        spoolPending = true;
                    } else {
                        metrics.dropped(events.size());
                        if (!warnedLost) {
                            warnedLost = true;
                            LOG.warning("cannot write the spool " + target.dir() + " ("
                                    + result.cause().getMessage() + "): " + events.size()
                                    + " event(s) lost; further losses are counted in tollgate_events_dropped_total");
                        }
                    }
                    metrics.spoolPending(target.pendingEvents());
                })
                .mapEmpty();
    }

    private void flush() {
        if (appending || System.currentTimeMillis() < retryAt) {
            return;
        }
        boolean replay = spoolPending && !stopping && (buffer.isEmpty() || (replayTurn && backoffMs == 0));
        replayTurn = !replayTurn;
        if (replay) {
            replayNext();
        } else if (!buffer.isEmpty()) {
            appendFromBuffer();
        }
    }

    private void appendFromBuffer() {
        List<RateLimitEvent> batch = new ArrayList<>(Math.min(buffer.size(), options.batchSize()));
        while (batch.size() < options.batchSize() && !buffer.isEmpty()) {
            RateLimitEvent event = buffer.poll();
            bufferBytes -= bytes(event);
            batch.add(event);
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
                answered();
            } else {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    buffer.addFirst(batch.get(i));
                    bufferBytes += bytes(batch.get(i));
                }
                failed(result.cause());
            }
            metrics.buffered(buffer.size());
            if (buffer.size() >= options.batchSize() || (spoolPending && backoffMs == 0)) {
                flush();
            }
        });
    }

    private void replayNext() {
        EventSpool from = spool.get();
        appending = true;
        blocking(from::next).onComplete(next -> {
            if (next.failed()) {
                appending = false;
                LOG.warning("cannot read the spool " + from.dir() + ": "
                        + next.cause().getMessage());
                spoolPending = false;
                return;
            }
            if (next.result().isEmpty()) {
                appending = false;
                spoolPending = false;
                lostInReplay(from);
                metrics.spoolPending(from.pendingEvents());
                flush();
                return;
            }
            EventSpool.Batch batch = next.result().get();
            long started = System.nanoTime();
            Future<Boolean> append;
            try {
                append = store.appendBatch(batch.id(), batch.events());
            } catch (RuntimeException e) {
                append = Future.failedFuture(e);
            }
            append.onComplete(result -> {
                if (result.failed()) {
                    appending = false;
                    failed(result.cause());
                    return;
                }
                if (result.result()) {
                    metrics.recorded(batch.events().size(), System.nanoTime() - started);
                }
                metrics.replayed(batch.events().size());
                answered();
                blocking(() -> {
                            from.acknowledge();
                            return null;
                        })
                        .onComplete(acknowledged -> {
                            appending = false;
                            lostInReplay(from);
                            metrics.spoolPending(from.pendingEvents());
                            if (acknowledged.failed()) {
                                LOG.warning("cannot advance the spool " + from.dir() + ": "
                                        + acknowledged.cause().getMessage());
                                spoolPending = false;
                                return;
                            }
                            if (from.pendingEvents() == 0) {
                                spoolPending = false;
                                LOG.info("the spool " + from.dir() + " is replayed into the store");
                            }
                            flush();
                        });
            });
        });
    }

    private void lostInReplay(EventSpool from) {
        long lost = from.takeLost();
        if (lost > 0) {
            metrics.dropped(lost);
        }
    }

    private void answered() {
        if (backoffMs > 0) {
            LOG.info("the event store answers again after "
                    + Duration.ofMillis(System.currentTimeMillis() - outageStarted)
                            .toSeconds() + " s; " + buffer.size() + " buffered event(s) and "
                    + spool.map(EventSpool::pendingEvents).orElse(0L) + " spooled event(s) go to it now");
        }
        backoffMs = 0;
        warnedFull = false;
        warnedLost = false;
        metrics.storeAnswering();
    }

    private void failed(Throwable cause) {
        metrics.appendFailed();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        metrics.storeFailing(reason);
        if (backoffMs == 0) {
            outageStarted = System.currentTimeMillis();
            LOG.warning("the event store cannot take events (" + reason + "); they wait in the buffer"
                    + (spool.isPresent()
                            ? " and then in the spool " + spool.get().dir()
                            : "")
                    + ", retried with back-off up to " + options.maxBackoff().toSeconds() + " s");
        }
        backoffMs = backoffMs == 0
                ? FIRST_BACKOFF_MS
                : Math.min(backoffMs * 2, options.maxBackoff().toMillis());
        retryAt = System.currentTimeMillis() + backoffMs;
        vertx.setTimer(backoffMs, id -> flush());
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return vertx.executeBlocking(work, true);
    }

    /** What an event holds in the buffer, estimated from its texts (Latin-1 strings: a byte per character). */
    static long bytes(RateLimitEvent event) {
        return EVENT_OVERHEAD_BYTES
                + event.key().length()
                + event.ruleName().length()
                + event.path().length()
                + event.method().length()
                + length(event.ipAddress())
                + length(event.userId());
    }

    // twice per recorded event: no lambda, no boxing
    private static int length(java.util.Optional<String> text) {
        return text.isPresent() ? text.get().length() : 0;
    }
}
