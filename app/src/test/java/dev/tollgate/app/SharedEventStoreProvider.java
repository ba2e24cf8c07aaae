package dev.tollgate.app;

import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The store {@code shared}: one reference store that outlives the commands that open and close it, as a
 * database outlives the cron jobs that use it. Tests fill it and read it through {@link #store()}.
 */
public final class SharedEventStoreProvider implements EventStoreProvider {

    private static volatile ScanningEventStore shared = new ScanningEventStore(Clock.systemUTC());

    /** Starts over with an empty store. */
    static void reset() {
        shared = new ScanningEventStore(Clock.systemUTC());
    }

    /** The store every command opens. */
    static EventStore store() {
        return shared;
    }

    @Override
    public String name() {
        return "shared";
    }

    @Override
    public Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock) {
        return Future.succeededFuture(new Unclosed(shared));
    }

    /** The shared store, whose {@link #close} leaves it open for the next command. */
    private record Unclosed(EventStore store) implements EventStore {

        @Override
        public Future<Void> append(List<RateLimitEvent> events) {
            return store.append(events);
        }

        @Override
        public Future<TrafficSummary> trafficSummary(int days) {
            return store.trafficSummary(days);
        }

        @Override
        public Future<List<Offender>> topOffenders(int days, int limit) {
            return store.topOffenders(days, limit);
        }

        @Override
        public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
            return store.ruleHitCounts(days, limit);
        }

        @Override
        public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
            return store.offenderDetail(key, days, recent);
        }

        @Override
        public Future<TimeSeries> timeSeries(int days, int buckets) {
            return store.timeSeries(days, buckets);
        }

        @Override
        public Future<Long> deleteOlderThan(int days, int batchSize) {
            return store.deleteOlderThan(days, batchSize);
        }

        @Override
        public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
            return store.alertedSince(kind, since);
        }

        @Override
        public Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at) {
            return store.recordAlerted(kind, keys, at);
        }

        @Override
        public Future<EventPage> events(EventQuery query) {
            return store.events(query);
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }
}
