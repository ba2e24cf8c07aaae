package dev.tollgate.examples;

import dev.tollgate.events.BlockedByRule;
import dev.tollgate.events.BlockedCount;
import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.OffenderTimeline;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleChange;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.StoredRule;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.events.UpstreamStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Passes every call to the store it wraps and logs those that take longer than {@code slowerThan}. */
final class TimedEventStore implements EventStore {

    /** Where slow calls are logged. */
    static final String LOGGER = "dev.tollgate.examples.timed";

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final EventStore store;
    private final long slowerThanNanos;
    private final LongSupplier nanoTime;

    /** @param nanoTime the clock durations are measured with, {@link System#nanoTime} outside tests */
    TimedEventStore(EventStore store, Duration slowerThan, LongSupplier nanoTime) {
        this.store = store;
        this.slowerThanNanos = slowerThan.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Future<Void> append(List<RateLimitEvent> events) {
        return timed("append", () -> store.append(events));
    }

    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events) {
        return timed("appendBatch", () -> store.appendBatch(batchId, events));
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return timed("trafficSummary", () -> store.trafficSummary(days));
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return timed("topOffenders", () -> store.topOffenders(days, limit));
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(int days, int limit) {
        return timed("topShadowOffenders", () -> store.topShadowOffenders(days, limit));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return timed("ruleHitCounts", () -> store.ruleHitCounts(days, limit));
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return timed("offenderDetail", () -> store.offenderDetail(key, days, recent));
    }

    @Override
    public Future<List<StoredRule>> storedRules() {
        return timed("storedRules", store::storedRules);
    }

    @Override
    public Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return timed("saveRule", () -> store.saveRule(name, config, expectedVersion, who, action, at));
    }

    @Override
    public Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return timed("deleteRule", () -> store.deleteRule(name, expectedVersion, who, at));
    }

    @Override
    public Future<List<RuleChange>> ruleChanges(int limit) {
        return timed("ruleChanges", () -> store.ruleChanges(limit));
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return timed("timeSeries", () -> store.timeSeries(days, buckets));
    }

    @Override
    public Future<TrafficSummary> trafficSummary(TimeRange range) {
        return timed("trafficSummary", () -> store.trafficSummary(range));
    }

    @Override
    public Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return timed("topOffenders", () -> store.topOffenders(range, limit));
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return timed("topShadowOffenders", () -> store.topShadowOffenders(range, limit));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return timed("ruleHitCounts", () -> store.ruleHitCounts(range, limit));
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return timed("offenderDetail", () -> store.offenderDetail(key, range, recent));
    }

    @Override
    public Future<TimeSeries> timeSeries(TimeRange range) {
        return timed("timeSeries", () -> store.timeSeries(range));
    }

    @Override
    public Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit) {
        return timed("topBlockedPaths", () -> store.topBlockedPaths(range, limit));
    }

    @Override
    public Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit) {
        return timed("topBlockedUserAgents", () -> store.topBlockedUserAgents(range, limit));
    }

    @Override
    public Future<UpstreamStats> upstreamStats(TimeRange range) {
        return timed("upstreamStats", () -> store.upstreamStats(range));
    }

    @Override
    public Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules) {
        return timed("blockedByRule", () -> store.blockedByRule(range, maxRules));
    }

    @Override
    public Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents) {
        return timed("offenderTimeline", () -> store.offenderTimeline(key, range, userAgents));
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return timed("deleteOlderThan", () -> store.deleteOlderThan(days, batchSize));
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return timed("alertedSince", () -> store.alertedSince(kind, since));
    }

    @Override
    public Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at) {
        return timed("recordAlerted", () -> store.recordAlerted(kind, keys, at));
    }

    @Override
    public Future<EventPage> events(EventQuery query) {
        return timed("events", () -> store.events(query));
    }

    @Override
    public long heapBytes() {
        return store.heapBytes();
    }

    @Override
    public Future<Void> close() {
        return store.close();
    }

    private <T> Future<T> timed(String call, Supplier<Future<T>> work) {
        long start = nanoTime.getAsLong();
        return work.get().onComplete(done -> {
            long took = nanoTime.getAsLong() - start;
            if (took > slowerThanNanos) {
                LOG.warning(call + " took " + took / 1_000_000 + " ms");
            }
        });
    }
}
