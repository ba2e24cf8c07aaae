package dev.tollgate.store.memory;

import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.Timestamps;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.events.spi.QueryRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The embedded event store: events in memory, at most {@link #maxEvents()} of them, the oldest (by
 * timestamp) dropped first when more arrive, and counted in {@link #droppedEvents()}. The dashboard's
 * queries are answered from per-minute, per-hour and per-day aggregates kept beside the raw events, exact to the
 * millisecond at the window's start.
 *
 * <p>The work runs on Vert.x worker threads under a read-write lock: queries read side by side,
 * appends and deletions write one at a time, and no event loop ever waits for the lock. Appends from
 * one Vert.x context are applied in the order they were made.
 */
public final class MemoryEventStore implements EventStore {

    /** The bound on the number of events when none is configured. */
    public static final long DEFAULT_MAX_EVENTS = 5_000_000L;
    /** How many batch ids ({@link #appendBatch}) the store remembers at most. */
    public static final int MAX_BATCH_IDS = 10_000;

    private final Vertx vertx;
    private final Clock clock;
    private final long maxEvents;
    private final EventLog log;
    /** Alert marks: kind → key → latest mark in epoch milliseconds; read and written under {@link #lock}. */
    private final Map<String, Map<String, Long>> marks = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile long size;
    private volatile long dropped;

    private MemoryEventStore(Vertx vertx, Clock clock, long maxEvents) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = new EventLog(maxEvents, MAX_BATCH_IDS);
        this.maxEvents = maxEvents;
    }

    /**
     * A store on {@code vertx} that reads time from {@code clock} and holds at most {@code maxEvents}.
     *
     * @throws IllegalArgumentException when {@code maxEvents < 1}
     */
    public static MemoryEventStore create(Vertx vertx, Clock clock, long maxEvents) {
        return new MemoryEventStore(vertx, clock, maxEvents);
    }

    /** A store holding at most {@value #DEFAULT_MAX_EVENTS} events. */
    public static MemoryEventStore create(Vertx vertx, Clock clock) {
        return create(vertx, clock, DEFAULT_MAX_EVENTS);
    }

    /** The most events the store holds. */
    public long maxEvents() {
        return maxEvents;
    }

    /** How many events the store holds now. */
    public long size() {
        return size;
    }

    /** How many events were dropped, oldest first, to stay within {@link #maxEvents()}; deletions do not count. */
    public long droppedEvents() {
        return dropped;
    }

    @Override
    public Future<Void> append(List<RateLimitEvent> events) {
        return checked(() -> QueryRules.checkEvents(events), () -> {
            // the batch is applied later on a worker: the caller may reuse its list at once
            List<RateLimitEvent> batch = List.copyOf(events);
            return write(() -> {
                log.append(batch);
                return null;
            });
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The memory store remembers the ids of the last {@value #MAX_BATCH_IDS} batches, each only while it holds
     * events of the batch: once the newest event of a batch is older than the oldest event held (the others were
     * dropped or deleted before it), its id is forgotten. An empty batch's id is forgotten when a
     * {@link #deleteOlderThan} cut-off passes the time it was stored.
     */
    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events) {
        return checked(() -> {
            QueryRules.checkBatchId(batchId);
            QueryRules.checkEvents(events);
        }, () -> {
            List<RateLimitEvent> batch = List.copyOf(events);
            long storedMillis = QueryRules.now(clock).toEpochMilli();
            return write(() -> log.appendBatch(batchId, storedMillis, batch));
        });
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return checked(() -> QueryRules.checkDays(days),
                () -> read(now -> log.summary(days, QueryRules.windowStart(now, days))));
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return checked(() -> {
            QueryRules.checkDays(days);
            QueryRules.checkLimit(limit);
        }, () -> read(now -> log.topOffenders(now.toEpochMilli(), QueryRules.windowStart(now, days), days, limit)));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return checked(() -> {
            QueryRules.checkDays(days);
            QueryRules.checkLimit(limit);
        }, () -> read(now -> log.ruleHits(QueryRules.windowStart(now, days), limit)));
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return checked(() -> {
            QueryRules.checkPresent(key, "key");
            QueryRules.checkDays(days);
            QueryRules.checkRecent(recent);
        }, () -> read(now -> log.offenderDetail(RateLimitEvent.truncateKey(key), days,
                QueryRules.windowStart(now, days), recent)));
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return checked(() -> {
            QueryRules.checkDays(days);
            QueryRules.checkBuckets(buckets);
        }, () -> read(now -> log.timeSeries(now, days, buckets)));
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return checked(() -> {
            QueryRules.checkDays(days);
            QueryRules.checkBatchSize(batchSize);
        }, () -> {
            long cutoff = QueryRules.windowStart(QueryRules.now(clock), days);
            // one batch per turn of the lock, so that appends and queries get in between
            return vertx.executeBlocking(() -> {
                long deleted = 0;
                int removed;
                do {
                    removed = underLock(lock.writeLock(), () -> {
                        int batch = log.removeBefore(cutoff, batchSize);
                        size = log.size();
                        return batch;
                    });
                    deleted += removed;
                } while (removed == batchSize);
                underLock(lock.writeLock(), () -> {
                    marks.values().forEach(byKey -> byKey.values().removeIf(at -> at < cutoff));
                    log.forgetEmptyBatchesStoredBefore(cutoff);
                    return null;
                });
                return deleted;
            }, false);
        });
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return checked(() -> {
            QueryRules.checkKind(kind);
            QueryRules.checkPresent(since, "since");
        }, () -> read(now -> {
            Map<String, Instant> found = new HashMap<>();
            marks.getOrDefault(kind, Map.of()).forEach((key, millis) -> {
                Instant at = Instant.ofEpochMilli(millis);
                if (!at.isBefore(since)) {
                    found.put(key, at);
                }
            });
            return found;
        }));
    }

    @Override
    public Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at) {
        return checked(() -> {
            QueryRules.checkKind(kind);
            QueryRules.checkPresent(at, "at");
        }, () -> {
            // the checked copy: the caller may change its collection at once
            Set<String> kept = QueryRules.checkKeys(keys);
            long mark = Timestamps.truncate(at).toEpochMilli();
            return write(() -> {
                Map<String, Long> byKey = marks.computeIfAbsent(kind, k -> new HashMap<>());
                kept.forEach(key -> byKey.merge(key, mark, Math::max));
                return null;
            });
        });
    }

    @Override
    public Future<EventPage> events(EventQuery query) {
        return checked(() -> QueryRules.checkPresent(query, "query"), () -> read(now -> log.events(query)));
    }

    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        try {
            // waits for running queries on a worker, not on the caller's event loop
            return vertx.executeBlocking(this::clear, false);
        } catch (RejectedExecutionException vertxIsClosed) {
            // no worker left, so no event loop either that could be blocked here
            return Future.succeededFuture(clear());
        }
    }

    private Void clear() {
        lock.writeLock().lock();
        try {
            log.clear();
            marks.clear();
            size = 0;
            return null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code checks}, answering a failed future with what they threw, else {@code work}'s future. */
    private <T> Future<T> checked(Runnable checks, Callable<Future<T>> work) {
        if (closed) {
            return Future.failedFuture(closedException());
        }
        try {
            checks.run();
            return work.call();
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }

    private <T> Future<T> read(Function<Instant, T> query) {
        Instant now = QueryRules.now(clock);
        return vertx.executeBlocking(() -> underLock(lock.readLock(), () -> query.apply(now)), false);
    }

    private <T> Future<T> write(Callable<T> change) {
        // ordered: appends made one after another on a context are applied in that order
        return vertx.executeBlocking(() -> underLock(lock.writeLock(), () -> {
            T result = change.call();
            size = log.size();
            dropped = log.dropped();
            return result;
        }), true);
    }

    private <T> T underLock(Lock held, Callable<T> work) throws Exception {
        held.lock();
        try {
            if (closed) {
                throw closedException();
            }
            return work.call();
        } finally {
            held.unlock();
        }
    }

    private static EventStoreException closedException() {
        return new EventStoreException("the memory event store is closed");
    }
}
