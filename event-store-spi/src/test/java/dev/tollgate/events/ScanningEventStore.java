package dev.tollgate.events;

import dev.tollgate.events.spi.PanelRules;
import dev.tollgate.events.spi.QueryRules;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The reference store: keeps every event in a list and answers each query by scanning all of it, as
 * literally as the rules of {@link EventStore} read. It proves the contract suite on its own, and other
 * stores' tests compare their answers with it. Thread-safe through its monitor; not for production.
 */
public final class ScanningEventStore implements EventStore {

    private static final Comparator<Stored> NEWEST_FIRST = Comparator.comparingLong(Stored::millis)
            .reversed()
            .thenComparing(Comparator.comparingLong(Stored::sequence).reversed());

    private final Clock clock;
    private final List<Stored> events = new ArrayList<>();
    /** kind → key → latest mark */
    private final Map<String, Map<String, Instant>> marks = new HashMap<>();
    /** batch id → when it was stored and the newest timestamp of its events (none for an empty batch) */
    private final Map<String, StoredBatch> batches = new HashMap<>();

    /** dashboard rules by name */
    private final Map<String, StoredRule> rules = new TreeMap<>();
    /** rule changes, oldest first */
    private final List<RuleChange> changes = new ArrayList<>();

    private long nextSequence;
    private boolean closed;

    public ScanningEventStore(Clock clock) {
        this.clock = clock;
    }

    private record Stored(RateLimitEvent event, long sequence) {

        long millis() {
            return event.timestamp().toEpochMilli();
        }
    }

    private record StoredBatch(long storedMillis, Optional<Long> newestMillis) {}

    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> batch) {
        return answer(() -> {
            QueryRules.checkBatchId(batchId);
            QueryRules.checkEvents(batch);
            if (batches.containsKey(batchId)) {
                return false;
            }
            Optional<Long> newest = batch.stream()
                    .map(event -> event.timestamp().toEpochMilli())
                    .max(Long::compare);
            batches.put(batchId, new StoredBatch(QueryRules.now(clock).toEpochMilli(), newest));
            for (RateLimitEvent event : batch) {
                events.add(new Stored(event, nextSequence++));
            }
            return true;
        });
    }

    @Override
    public Future<Void> append(List<RateLimitEvent> batch) {
        return answer(() -> {
            QueryRules.checkEvents(batch);
            for (RateLimitEvent event : batch) {
                events.add(new Stored(event, nextSequence++));
            }
            return null;
        });
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return answer(() -> summary(since(days)).apply(days));
    }

    @Override
    public Future<TrafficSummary> trafficSummary(TimeRange range) {
        return answer(() -> summary(since(range)).apply(0).in(range));
    }

    private IntFunction<TrafficSummary> summary(long since) {
        List<RateLimitEvent> window = window(since, event -> true);
        long blocked = window.stream().filter(RateLimitEvent::blocked).count();
        long shadowBlocked =
                window.stream().filter(RateLimitEvent::shadowBlocked).count();
        return days -> TrafficSummary.of(days, window.size() - blocked - shadowBlocked, blocked, shadowBlocked);
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return answer(() -> ranking(since(days), limit, RateLimitEvent::blocked));
    }

    @Override
    public Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return answer(() -> ranking(since(range), limit, RateLimitEvent::blocked));
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(int days, int limit) {
        return answer(() -> ranking(since(days), limit, RateLimitEvent::shadowBlocked));
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return answer(() -> ranking(since(range), limit, RateLimitEvent::shadowBlocked));
    }

    private List<Offender> ranking(long since, int limit, Predicate<RateLimitEvent> refused) {
        QueryRules.checkLimit(limit);
        Map<String, Long> counts = new HashMap<>();
        window(since, refused).forEach(event -> counts.merge(event.key(), 1L, Long::sum));
        return counts.entrySet().stream()
                .map(entry -> new Offender(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingLong(Offender::blockedCount)
                        .reversed()
                        .thenComparing(Offender::key))
                .limit(limit)
                .toList();
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return answer(() -> ruleHits(since(days), limit));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return answer(() -> ruleHits(since(range), limit));
    }

    private List<RuleHits> ruleHits(long since, int limit) {
        QueryRules.checkLimit(limit);
        Map<String, long[]> rules = new HashMap<>();
        for (RateLimitEvent event : window(since, event -> !event.ruleName().isEmpty())) {
            long[] counts = rules.computeIfAbsent(event.ruleName(), name -> new long[3]);
            counts[0]++;
            counts[1] += event.blocked() ? 1 : 0;
            counts[2] += event.shadowBlocked() ? 1 : 0;
        }
        return rules.entrySet().stream()
                .map(entry ->
                        new RuleHits(entry.getKey(), entry.getValue()[0], entry.getValue()[1], entry.getValue()[2]))
                .sorted(Comparator.comparingLong(RuleHits::hits).reversed().thenComparing(RuleHits::ruleName))
                .limit(limit)
                .toList();
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return answer(() -> {
            QueryRules.checkPresent(key, "key");
            return detail(key, since(days), days, recent);
        });
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return answer(() -> {
            QueryRules.checkPresent(key, "key");
            return detail(key, since(range), 0, recent).in(range);
        });
    }

    private OffenderDetail detail(String key, long since, int days, int recent) {
        String wanted = RateLimitEvent.truncateKey(key);
        QueryRules.checkRecent(recent);
        List<Stored> mine = events.stream()
                .filter(stored ->
                        stored.millis() >= since && stored.event().key().equals(wanted))
                .sorted(NEWEST_FIRST)
                .toList();
        if (mine.isEmpty()) {
            return OffenderDetail.empty(wanted, days);
        }
        long blocked = mine.stream().filter(stored -> stored.event().blocked()).count();
        long shadowBlocked =
                mine.stream().filter(stored -> stored.event().shadowBlocked()).count();
        Map<String, Long> byPath = new HashMap<>();
        mine.stream()
                .filter(stored -> stored.event().blocked())
                .forEach(stored -> byPath.merge(stored.event().path(), 1L, Long::sum));
        List<OffenderDetail.PathCount> paths = byPath.entrySet().stream()
                .map(entry -> new OffenderDetail.PathCount(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingLong(OffenderDetail.PathCount::count)
                        .reversed()
                        .thenComparing(OffenderDetail.PathCount::path))
                .limit(OffenderDetail.MAX_PATHS)
                .toList();
        List<OffenderDetail.RecentEvent> latest = mine.stream()
                .limit(recent)
                .map(stored -> OffenderDetail.RecentEvent.of(stored.event()))
                .toList();
        return OffenderDetail.of(
                wanted,
                days,
                mine.size() - blocked - shadowBlocked,
                blocked,
                shadowBlocked,
                Optional.of(mine.get(mine.size() - 1).event().timestamp()),
                Optional.of(mine.get(0).event().timestamp()),
                paths,
                latest);
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return answer(() -> {
            QueryRules.checkDays(days);
            QueryRules.checkBuckets(buckets);
            List<TimeSeries.Bucket> layout = TimeSeries.layout(QueryRules.now(clock), days, buckets);
            return new TimeSeries(days, TimeSeries.bucketWidth(days, buckets), filled(layout));
        });
    }

    @Override
    public Future<TimeSeries> timeSeries(TimeRange range) {
        return answer(() -> {
            QueryRules.checkRange(range);
            return TimeSeries.of(range, filled(TimeSeries.layout(QueryRules.now(clock), range)));
        });
    }

    /** {@code layout} with the counts of its buckets, the newest also holding the events after it. */
    private List<TimeSeries.Bucket> filled(List<TimeSeries.Bucket> layout) {
        int buckets = layout.size();
        long[] allowed = new long[buckets];
        long[] blocked = new long[buckets];
        long[] shadowBlocked = new long[buckets];
        for (RateLimitEvent event : window(layout.get(0).start().toEpochMilli(), event -> true)) {
            int i = buckets - 1;
            while (event.timestamp().isBefore(layout.get(i).start())) {
                i--;
            }
            if (event.blocked()) {
                blocked[i]++;
            } else if (event.shadowBlocked()) {
                shadowBlocked[i]++;
            } else {
                allowed[i]++;
            }
        }
        List<TimeSeries.Bucket> filled = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            filled.add(layout.get(i).withCounts(allowed[i], blocked[i], shadowBlocked[i]));
        }
        return filled;
    }

    private long since(int days) {
        return QueryRules.windowStart(QueryRules.now(clock), days);
    }

    private long since(TimeRange range) {
        return QueryRules.windowStart(QueryRules.now(clock), range);
    }

    @Override
    public Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit) {
        return answer(() -> {
            PanelRules.checkRange(range);
            PanelRules.checkRows(limit, "limit");
            Map<String, Long> counts = new HashMap<>();
            inRange(range, RateLimitEvent::blocked).forEach(event -> counts.merge(event.path(), 1L, Long::sum));
            return ranked(counts, limit);
        });
    }

    @Override
    public Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit) {
        return answer(() -> {
            PanelRules.checkRange(range);
            PanelRules.checkRows(limit, "limit");
            Map<String, Long> counts = new HashMap<>();
            inRange(range, event -> event.blocked() && event.userAgent().isPresent())
                    .forEach(event -> counts.merge(event.userAgent().get(), 1L, Long::sum));
            return ranked(counts, limit);
        });
    }

    @Override
    public Future<UpstreamStats> upstreamStats(TimeRange range) {
        return answer(() -> {
            PanelRules.checkRange(range);
            long[] classes = new long[5];
            long[] histogram = new long[LatencyHistogram.BUCKETS];
            for (RateLimitEvent event : inRange(
                    range, event -> event.allowed() && event.upstreamStatus().isPresent())) {
                classes[UpstreamStats.classOf(event.upstreamStatus().getAsInt())]++;
                if (event.upstreamLatency().isPresent()) {
                    histogram[LatencyHistogram.bucket(event.upstreamLatencyMicros())]++;
                }
            }
            return UpstreamStats.of(range, classes, histogram);
        });
    }

    @Override
    public Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules) {
        return answer(() -> {
            PanelRules.checkRange(range);
            PanelRules.checkRows(maxRules, "maxRules");
            Instant now = QueryRules.now(clock);
            long start = range.start(now).toEpochMilli();
            Map<String, long[]> byRule = new HashMap<>();
            for (RateLimitEvent event : inRange(range, RateLimitEvent::blocked)) {
                byRule.computeIfAbsent(event.ruleName(), rule -> new long[range.buckets()])[
                        PanelRules.bucketIndex(range, start, event.timestamp().toEpochMilli())]++;
            }
            return BlockedByRule.of(range, PanelRules.layout(range, now), byRule, maxRules);
        });
    }

    @Override
    public Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents) {
        return answer(() -> {
            String wanted = RateLimitEvent.truncateKey(QueryRules.checkPresent(key, "key"));
            PanelRules.checkRange(range);
            PanelRules.checkRows(userAgents, "userAgents");
            Instant now = QueryRules.now(clock);
            long start = range.start(now).toEpochMilli();
            List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
            long[][] counts = new long[layout.size()][3];
            Map<String, Long> agents = new HashMap<>();
            for (RateLimitEvent event : inRange(range, event -> event.key().equals(wanted))) {
                long[] bucket = counts[
                        PanelRules.bucketIndex(range, start, event.timestamp().toEpochMilli())];
                bucket[event.blocked() ? 1 : event.shadowBlocked() ? 2 : 0]++;
                event.userAgent().ifPresent(agent -> agents.merge(agent, 1L, Long::sum));
            }
            List<TimeSeries.Bucket> filled = new ArrayList<>();
            for (int i = 0; i < layout.size(); i++) {
                filled.add(layout.get(i).withCounts(counts[i][0], counts[i][1], counts[i][2]));
            }
            return new OffenderTimeline(wanted, range, filled, ranked(agents, userAgents));
        });
    }

    private List<RateLimitEvent> inRange(TimeRange range, Predicate<RateLimitEvent> filter) {
        long since = range.start(QueryRules.now(clock)).toEpochMilli();
        return events.stream()
                .map(Stored::event)
                .filter(event -> event.timestamp().toEpochMilli() >= since && filter.test(event))
                .toList();
    }

    private static List<BlockedCount> ranked(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .map(entry -> new BlockedCount(entry.getKey(), entry.getValue()))
                .sorted(BlockedCount.ORDER)
                .limit(limit)
                .toList();
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return answer(() -> {
            QueryRules.checkBatchSize(batchSize);
            long since = QueryRules.windowStart(QueryRules.now(clock), days);
            long deleted = 0;
            int removed;
            do {
                removed = 0;
                for (int i = events.size() - 1; i >= 0 && removed < batchSize; i--) {
                    if (events.get(i).millis() < since) {
                        events.remove(i);
                        removed++;
                    }
                }
                deleted += removed;
            } while (removed == batchSize);
            marks.values().forEach(byKey -> byKey.values().removeIf(at -> at.toEpochMilli() < since));
            batches.values()
                    .removeIf(stored -> stored.storedMillis() < since
                            && stored.newestMillis()
                                    .map(newest -> newest < since)
                                    .orElse(true));
            return deleted;
        });
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return answer(() -> {
            QueryRules.checkKind(kind);
            QueryRules.checkPresent(since, "since");
            Map<String, Instant> found = new HashMap<>();
            marks.getOrDefault(kind, Map.of()).forEach((key, at) -> {
                if (!at.isBefore(since)) {
                    found.put(key, at);
                }
            });
            return found;
        });
    }

    @Override
    public Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at) {
        return answer(() -> {
            QueryRules.checkKind(kind);
            Collection<String> kept = QueryRules.checkKeys(keys);
            Instant mark = Timestamps.truncate(QueryRules.checkPresent(at, "at"));
            Map<String, Instant> byKey = marks.computeIfAbsent(kind, k -> new HashMap<>());
            kept.forEach(key -> byKey.merge(key, mark, (old, now) -> old.isAfter(now) ? old : now));
            return null;
        });
    }

    @Override
    public Future<EventPage> events(EventQuery query) {
        return answer(() -> {
            QueryRules.checkPresent(query, "query");
            List<Stored> matching = events.stream()
                    .filter(stored -> query.matches(stored.event()))
                    .filter(stored -> query.cursor()
                            .map(c -> c.isPast(stored.millis(), stored.sequence()))
                            .orElse(true))
                    .sorted(NEWEST_FIRST)
                    .limit(query.pageSize() + 1L)
                    .toList();
            List<Stored> page = matching.subList(0, Math.min(query.pageSize(), matching.size()));
            Optional<String> next = matching.size() > query.pageSize()
                    ? Optional.of(cursorOf(page.get(page.size() - 1)).encode())
                    : Optional.empty();
            return new EventPage(page.stream().map(Stored::event).toList(), next);
        });
    }

    @Override
    public Future<List<StoredRule>> storedRules() {
        return answer(() -> List.copyOf(rules.values()));
    }

    @Override
    public Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return answer(() -> {
            QueryRules.checkRuleName(name);
            JsonObject after = new JsonObject(QueryRules.checkRuleConfig(config));
            QueryRules.checkExpectedVersion(expectedVersion, true);
            QueryRules.checkWho(who);
            QueryRules.checkAction(action);
            QueryRules.checkPresent(at, "at");
            StoredRule current = rules.get(name);
            long actual = current == null ? 0 : current.version();
            if (actual != expectedVersion) {
                throw new RuleConflictException(name, expectedVersion, actual);
            }
            if (current == null && rules.size() >= MAX_STORED_RULES) {
                throw QueryRules.tooManyRules(name);
            }
            StoredRule saved = new StoredRule(name, after, actual + 1, at, who);
            rules.put(name, saved);
            changes.add(new RuleChange(
                    changes.size() + 1L, at, who, action, name, current == null ? null : current.config(), after));
            return saved;
        });
    }

    @Override
    public Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return answer(() -> {
            QueryRules.checkRuleName(name);
            QueryRules.checkExpectedVersion(expectedVersion, false);
            QueryRules.checkWho(who);
            QueryRules.checkPresent(at, "at");
            StoredRule current = rules.get(name);
            long actual = current == null ? 0 : current.version();
            if (actual != expectedVersion) {
                throw new RuleConflictException(name, expectedVersion, actual);
            }
            rules.remove(name);
            changes.add(new RuleChange(changes.size() + 1L, at, who, DELETE_ACTION, name, current.config(), null));
            return null;
        });
    }

    @Override
    public Future<List<RuleChange>> ruleChanges(int limit) {
        return answer(() -> {
            QueryRules.checkRuleChangesLimit(limit);
            List<RuleChange> newestFirst = new ArrayList<>();
            for (int i = changes.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
                newestFirst.add(changes.get(i));
            }
            return newestFirst;
        });
    }

    @Override
    public synchronized Future<Void> close() {
        closed = true;
        rules.clear();
        changes.clear();
        events.clear();
        marks.clear();
        batches.clear();
        return Future.succeededFuture();
    }

    private static EventCursor cursorOf(Stored stored) {
        return new EventCursor(Instant.ofEpochMilli(stored.millis()), stored.sequence());
    }

    private List<RateLimitEvent> window(long since, Predicate<RateLimitEvent> filter) {
        return events.stream()
                .map(Stored::event)
                .filter(event -> event.timestamp().toEpochMilli() >= since && filter.test(event))
                .toList();
    }

    private synchronized <T> Future<T> answer(Supplier<T> work) {
        if (closed) {
            return Future.failedFuture(new EventStoreException("the store is closed"));
        }
        try {
            return Future.succeededFuture(work.get());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
