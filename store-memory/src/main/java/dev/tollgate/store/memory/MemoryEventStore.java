package dev.tollgate.store.memory;

import dev.tollgate.events.BlockedByRule;
import dev.tollgate.events.BlockedCount;
import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.OffenderTimeline;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleChange;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.StoredRule;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.Timestamps;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.events.UpstreamStats;
import dev.tollgate.events.spi.PanelRules;
import dev.tollgate.events.spi.QueryRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The embedded event store: events in memory, bounded twice by its {@link MemoryStoreOptions}: at most
 * {@link MemoryStoreOptions#maxEvents() maxEvents} of them, and at most
 * {@link MemoryStoreOptions#maxBytes() maxBytes} of heap by its own estimate ({@link #heapBytes()}). When an append
 * would pass either bound, the oldest events (by timestamp) are dropped first, and counted in
 * {@link #droppedEvents()}. The dashboard's queries are answered from per-minute, per-hour and per-day aggregates
 * kept beside the raw events, exact to the millisecond at the window's start; dropping keeps them in step.
 *
 * <p>The estimate adds up, as events come and go, the heap of what the store keeps for them: the events in their
 * columns (57 bytes an event with compressed references, times the columns' spare room, which stays between one and
 * four times what the events need), each distinct text once with its entry, the per-minute, per-hour and per-day
 * aggregates with an entry per blocked or shadow-blocked key and per rule, the remembered batch ids, and the offender
 * rankings kept between calls (at most a quarter of {@code maxBytes}). Alert marks, a few per alerted key, are not counted.
 *
 * <p>Dashboard rules ({@link #saveRule}) and their changes are not counted either, nor dropped: they are few and
 * bounded, at most {@value EventStore#MAX_STORED_RULES} rules and the newest {@value EventStore#MAX_RULE_CHANGES}
 * changes, each configuration kept once as its encoded JSON and shared by the rule and the changes that hold it (at
 * most about 180 MB when every rule and change holds a different configuration of the largest size, a few MB in
 * use). Older changes are forgotten. Like the events, they live as long as the process.
 *
 * <p>The work runs on Vert.x worker threads under a read-write lock: queries read side by side,
 * appends and deletions write one at a time, and no event loop ever waits for the lock. Appends from
 * one Vert.x context are applied in the order they were made.
 */
public final class MemoryEventStore implements EventStore {

    /** The bound on the number of events when none is configured. */
    public static final long DEFAULT_MAX_EVENTS = MemoryStoreOptions.DEFAULT_MAX_EVENTS;

    private final Vertx vertx;
    private final Clock clock;
    private final MemoryStoreOptions options;
    private final EventLog log;
    /** Alert marks: kind → key → latest mark in epoch milliseconds; read and written under {@link #lock}. */
    private final Map<String, Map<String, Long>> marks = new HashMap<>();
    /** Dashboard rules by name; read and written under {@link #lock}. */
    private final Map<String, Rule> rules = new TreeMap<>();
    /** The newest rule changes, oldest first; read and written under {@link #lock}. */
    private final Deque<Change> changes = new ArrayDeque<>();
    /** The id of the latest rule change; written under the write lock. */
    private long lastChangeId;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile long size;
    private volatile long dropped;
    /** The estimate of the events, aggregates and batch ids after the latest change; the rankings come on top. */
    private volatile long storedBytes;

    private MemoryEventStore(Vertx vertx, Clock clock, MemoryStoreOptions options) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.log = new EventLog(options);
    }

    /** A store on {@code vertx} that reads time from {@code clock}, within the bounds of {@code options}. */
    public static MemoryEventStore create(Vertx vertx, Clock clock, MemoryStoreOptions options) {
        return new MemoryEventStore(vertx, clock, options);
    }

    /**
     * A store on {@code vertx} that reads time from {@code clock} and holds at most {@code maxEvents}, within the
     * other {@link MemoryStoreOptions#defaults() defaults}.
     *
     * @throws dev.tollgate.events.EventStoreException when {@code maxEvents < 1}
     */
    public static MemoryEventStore create(Vertx vertx, Clock clock, long maxEvents) {
        return create(vertx, clock, MemoryStoreOptions.defaults().withMaxEvents(maxEvents));
    }

    /** A store within the {@link MemoryStoreOptions#defaults() defaults}. */
    public static MemoryEventStore create(Vertx vertx, Clock clock) {
        return create(vertx, clock, MemoryStoreOptions.defaults());
    }

    /** The bounds the store keeps. */
    public MemoryStoreOptions options() {
        return options;
    }

    /** The most events the store holds. */
    public long maxEvents() {
        return options.maxEvents();
    }

    /** How many events the store holds now. */
    public long size() {
        return size;
    }

    /**
     * How many events were dropped, oldest first, to stay within {@link MemoryStoreOptions#maxEvents()} and
     * {@link MemoryStoreOptions#maxBytes()}; deletions do not count.
     */
    public long droppedEvents() {
        return dropped;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The memory store's estimate, as its class comment describes it: what an append keeps within
     * {@link MemoryStoreOptions#maxBytes()}. {@code 0} once the store is closed.
     */
    @Override
    public long heapBytes() {
        return closed ? 0 : storedBytes + log.rankingBytes();
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
     * <p>The memory store remembers the ids of the last {@link MemoryStoreOptions#maxBatchIds()} batches (10 000
     * unless configured), each only while it holds events of the batch: once the newest event of a batch is older
     * than the oldest event held (the others were dropped or deleted before it), its id is forgotten. An empty
     * batch's id is forgotten when a {@link #deleteOlderThan} cut-off passes the time it was stored.
     */
    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events) {
        return checked(
                () -> {
                    QueryRules.checkBatchId(batchId);
                    QueryRules.checkEvents(events);
                },
                () -> {
                    List<RateLimitEvent> batch = List.copyOf(events);
                    long storedMillis = QueryRules.now(clock).toEpochMilli();
                    return write(() -> log.appendBatch(batchId, storedMillis, batch));
                });
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return checked(
                () -> QueryRules.checkDays(days),
                () -> read(now -> log.summary(days, QueryRules.windowStart(now, days))));
    }

    @Override
    public Future<TrafficSummary> trafficSummary(TimeRange range) {
        return checked(
                () -> QueryRules.checkRange(range),
                () -> read(now ->
                        log.summary(0, QueryRules.windowStart(now, range)).in(range)));
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return ranking(EventLog.Ranking.BLOCKED, () -> QueryRules.checkDays(days), days * EventLog.DAY, limit);
    }

    @Override
    public Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return ranking(EventLog.Ranking.BLOCKED, () -> QueryRules.checkRange(range), length(range), limit);
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(int days, int limit) {
        return ranking(EventLog.Ranking.SHADOW_BLOCKED, () -> QueryRules.checkDays(days), days * EventLog.DAY, limit);
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return ranking(EventLog.Ranking.SHADOW_BLOCKED, () -> QueryRules.checkRange(range), length(range), limit);
    }

    /** The offenders of {@code ranking} over the window of {@code length} milliseconds, once {@code window} holds. */
    private Future<List<Offender>> ranking(EventLog.Ranking ranking, Runnable window, long length, int limit) {
        return checked(
                () -> {
                    window.run();
                    QueryRules.checkLimit(limit);
                },
                () -> read(now ->
                        log.topOffenders(ranking, now.toEpochMilli(), now.toEpochMilli() - length, length, limit)));
    }

    private static long length(TimeRange range) {
        return range == null ? 0 : range.length().toMillis();
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return checked(
                () -> {
                    QueryRules.checkDays(days);
                    QueryRules.checkLimit(limit);
                },
                () -> read(now -> log.ruleHits(QueryRules.windowStart(now, days), limit)));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return checked(
                () -> {
                    QueryRules.checkRange(range);
                    QueryRules.checkLimit(limit);
                },
                () -> read(now -> log.ruleHits(QueryRules.windowStart(now, range), limit)));
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return checked(
                () -> {
                    QueryRules.checkPresent(key, "key");
                    QueryRules.checkDays(days);
                    QueryRules.checkRecent(recent);
                },
                () -> read(now -> log.offenderDetail(
                        RateLimitEvent.truncateKey(key), days, QueryRules.windowStart(now, days), recent)));
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return checked(
                () -> {
                    QueryRules.checkPresent(key, "key");
                    QueryRules.checkRange(range);
                    QueryRules.checkRecent(recent);
                },
                () -> read(now -> log.offenderDetail(
                                RateLimitEvent.truncateKey(key), 0, QueryRules.windowStart(now, range), recent)
                        .in(range)));
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return checked(
                () -> {
                    QueryRules.checkDays(days);
                    QueryRules.checkBuckets(buckets);
                },
                () -> read(now -> log.timeSeries(now, days, buckets)));
    }

    @Override
    public Future<TimeSeries> timeSeries(TimeRange range) {
        return checked(() -> QueryRules.checkRange(range), () -> read(now -> log.timeSeries(now, range)));
    }

    @Override
    public Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit) {
        return checked(
                () -> {
                    PanelRules.checkRange(range);
                    PanelRules.checkRows(limit, "limit");
                },
                () -> read(now -> Panels.topBlockedPaths(log, range, now, limit)));
    }

    @Override
    public Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit) {
        return checked(
                () -> {
                    PanelRules.checkRange(range);
                    PanelRules.checkRows(limit, "limit");
                },
                () -> read(now -> Panels.topBlockedUserAgents(log, range, now, limit)));
    }

    @Override
    public Future<UpstreamStats> upstreamStats(TimeRange range) {
        return checked(() -> PanelRules.checkRange(range), () -> read(now -> Panels.upstreamStats(log, range, now)));
    }

    @Override
    public Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules) {
        return checked(
                () -> {
                    PanelRules.checkRange(range);
                    PanelRules.checkRows(maxRules, "maxRules");
                },
                () -> read(now -> Panels.blockedByRule(log, range, now, maxRules)));
    }

    @Override
    public Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents) {
        return checked(
                () -> {
                    QueryRules.checkPresent(key, "key");
                    PanelRules.checkRange(range);
                    PanelRules.checkRows(userAgents, "userAgents");
                },
                () -> read(
                        now -> Panels.offenderTimeline(log, RateLimitEvent.truncateKey(key), range, now, userAgents)));
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return checked(
                () -> {
                    QueryRules.checkDays(days);
                    QueryRules.checkBatchSize(batchSize);
                },
                () -> {
                    long cutoff = QueryRules.windowStart(QueryRules.now(clock), days);
                    // one batch per turn of the lock, so that appends and queries get in between
                    return vertx.executeBlocking(
                            () -> {
                                long deleted = 0;
                                int removed;
                                do {
                                    removed = underLock(lock.writeLock(), () -> {
                                        int batch = log.removeBefore(cutoff, batchSize);
                                        published();
                                        return batch;
                                    });
                                    deleted += removed;
                                } while (removed == batchSize);
                                underLock(lock.writeLock(), () -> {
                                    marks.values()
                                            .forEach(byKey -> byKey.values().removeIf(at -> at < cutoff));
                                    log.forgetEmptyBatchesStoredBefore(cutoff);
                                    published();
                                    return null;
                                });
                                return deleted;
                            },
                            false);
                });
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return checked(
                () -> {
                    QueryRules.checkKind(kind);
                    QueryRules.checkPresent(since, "since");
                },
                () -> read(now -> {
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
        return checked(
                () -> {
                    QueryRules.checkKind(kind);
                    QueryRules.checkPresent(at, "at");
                },
                () -> {
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

    /** A stored rule, its configuration encoded: the string is shared with the changes that hold it. */
    private record Rule(String name, String config, long version, long atMillis, String by) {

        StoredRule toStoredRule() {
            return new StoredRule(name, new JsonObject(config), version, Instant.ofEpochMilli(atMillis), by);
        }
    }

    /** A rule change, its configurations encoded ({@code null} when absent). */
    private record Change(
            long id, long atMillis, String who, String action, String ruleName, String before, String after) {

        RuleChange toRuleChange() {
            return new RuleChange(
                    id,
                    Instant.ofEpochMilli(atMillis),
                    who,
                    action,
                    ruleName,
                    before == null ? null : new JsonObject(before),
                    after == null ? null : new JsonObject(after));
        }
    }

    @Override
    public Future<List<StoredRule>> storedRules() {
        return checked(
                () -> {},
                () -> read(
                        now -> rules.values().stream().map(Rule::toStoredRule).toList()));
    }

    @Override
    public Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return checked(
                () -> {
                    QueryRules.checkRuleName(name);
                    QueryRules.checkRuleConfig(config);
                    QueryRules.checkExpectedVersion(expectedVersion, true);
                    QueryRules.checkWho(who);
                    QueryRules.checkAction(action);
                    QueryRules.checkPresent(at, "at");
                },
                () -> {
                    // the encoded copy: the caller may change its object at once
                    String encoded = QueryRules.checkRuleConfig(config);
                    long atMillis = Timestamps.truncate(at).toEpochMilli();
                    return write(() -> {
                        Rule current = rules.get(name);
                        long actual = current == null ? 0 : current.version();
                        if (actual != expectedVersion) {
                            throw new RuleConflictException(name, expectedVersion, actual);
                        }
                        if (current == null && rules.size() >= MAX_STORED_RULES) {
                            throw QueryRules.tooManyRules(name);
                        }
                        Rule saved = new Rule(name, encoded, actual + 1, atMillis, who);
                        rules.put(name, saved);
                        recordChange(atMillis, who, action, name, current == null ? null : current.config(), encoded);
                        return saved.toStoredRule();
                    });
                });
    }

    @Override
    public Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return checked(
                () -> {
                    QueryRules.checkRuleName(name);
                    QueryRules.checkExpectedVersion(expectedVersion, false);
                    QueryRules.checkWho(who);
                    QueryRules.checkPresent(at, "at");
                },
                () -> {
                    long atMillis = Timestamps.truncate(at).toEpochMilli();
                    return write(() -> {
                        Rule current = rules.get(name);
                        long actual = current == null ? 0 : current.version();
                        if (current == null || actual != expectedVersion) {
                            throw new RuleConflictException(name, expectedVersion, actual);
                        }
                        rules.remove(name);
                        recordChange(atMillis, who, DELETE_ACTION, name, current.config(), null);
                        return null;
                    });
                });
    }

    /**
     * Records a rule change, forgetting the oldest beyond {@value EventStore#MAX_RULE_CHANGES}; under the write
     * lock.
     */
    private void recordChange(long atMillis, String who, String action, String name, String before, String after) {
        changes.addLast(new Change(++lastChangeId, atMillis, who, action, name, before, after));
        while (changes.size() > MAX_RULE_CHANGES) {
            changes.removeFirst();
        }
    }

    @Override
    public Future<List<RuleChange>> ruleChanges(int limit) {
        return checked(
                () -> QueryRules.checkRuleChangesLimit(limit),
                () -> read(now -> {
                    List<RuleChange> newestFirst = new ArrayList<>(Math.min(limit, changes.size()));
                    Iterator<Change> newest = changes.descendingIterator();
                    while (newest.hasNext() && newestFirst.size() < limit) {
                        newestFirst.add(newest.next().toRuleChange());
                    }
                    return newestFirst;
                }));
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
            rules.clear();
            changes.clear();
            size = 0;
            storedBytes = 0;
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
        return vertx.executeBlocking(
                () -> underLock(lock.writeLock(), () -> {
                    T result = change.call();
                    published();
                    return result;
                }),
                true);
    }

    /** Publishes the log's numbers after a change, for the accessors any thread may call; under the write lock. */
    private void published() {
        size = log.size();
        dropped = log.dropped();
        storedBytes = log.storedBytes();
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
