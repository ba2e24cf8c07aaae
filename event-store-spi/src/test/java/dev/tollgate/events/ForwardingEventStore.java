package dev.tollgate.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A store that hands every operation to another; tests override the operations they change. */
public abstract class ForwardingEventStore implements EventStore {

    private final EventStore delegate;

    protected ForwardingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    /** The store operations go to. */
    protected EventStore delegate() {
        return delegate;
    }

    @Override
    public Future<Void> append(List<RateLimitEvent> events) {
        return delegate.append(events);
    }

    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events) {
        return delegate.appendBatch(batchId, events);
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return delegate.trafficSummary(days);
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return delegate.topOffenders(days, limit);
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(int days, int limit) {
        return delegate.topShadowOffenders(days, limit);
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return delegate.ruleHitCounts(days, limit);
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return delegate.offenderDetail(key, days, recent);
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return delegate.timeSeries(days, buckets);
    }

    @Override
    public Future<TrafficSummary> trafficSummary(TimeRange range) {
        return delegate.trafficSummary(range);
    }

    @Override
    public Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return delegate.topOffenders(range, limit);
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return delegate.topShadowOffenders(range, limit);
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return delegate.ruleHitCounts(range, limit);
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return delegate.offenderDetail(key, range, recent);
    }

    @Override
    public Future<TimeSeries> timeSeries(TimeRange range) {
        return delegate.timeSeries(range);
    }

    @Override
    public Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit) {
        return delegate.topBlockedPaths(range, limit);
    }

    @Override
    public Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit) {
        return delegate.topBlockedUserAgents(range, limit);
    }

    @Override
    public Future<UpstreamStats> upstreamStats(TimeRange range) {
        return delegate.upstreamStats(range);
    }

    @Override
    public Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules) {
        return delegate.blockedByRule(range, maxRules);
    }

    @Override
    public Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents) {
        return delegate.offenderTimeline(key, range, userAgents);
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return delegate.deleteOlderThan(days, batchSize);
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return delegate.alertedSince(kind, since);
    }

    @Override
    public Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at) {
        return delegate.recordAlerted(kind, keys, at);
    }

    @Override
    public Future<EventPage> events(EventQuery query) {
        return delegate.events(query);
    }

    @Override
    public Future<List<StoredRule>> storedRules() {
        return delegate.storedRules();
    }

    @Override
    public Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return delegate.saveRule(name, config, expectedVersion, who, action, at);
    }

    @Override
    public Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return delegate.deleteRule(name, expectedVersion, who, at);
    }

    @Override
    public Future<List<RuleChange>> ruleChanges(int limit) {
        return delegate.ruleChanges(limit);
    }

    @Override
    public long heapBytes() {
        return delegate.heapBytes();
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }
}
