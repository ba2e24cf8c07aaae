package dev.tollgate.store.postgres;

import dev.tollgate.events.BlockedByRule;
import dev.tollgate.events.BlockedCount;
import dev.tollgate.events.EventCursor;
import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.LatencyHistogram;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.OffenderTimeline;
import dev.tollgate.events.QuotaCount;
import dev.tollgate.events.QuotaDays;
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
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The PostgreSQL event store. Events live in one table; rollup tables (totals, rules, offenders and the panels')
 * let the dashboard's queries add up buckets instead of scanning events, while the parts of buckets that a window
 * cuts are counted from the events themselves (see {@link StoreSql}). An append only inserts its events and lists
 * their ids in {@code unfolded}; a fold takes them into the rollups, in the background every
 * {@link PostgresStoreOptions#foldInterval()} and before every query that reads the rollups, so that a query
 * counts every event appended before it began. Folds and deletions run one at a time, across nodes, behind an
 * advisory lock. The tiebreak of events with equal timestamps is the row id, which follows append order.
 * Two offender rankings keep their settled parts between calls: the enforced one and the shadow one.
 */
final class PostgresEventStore implements EventStore {

    private static final Logger LOG = Logger.getLogger(PostgresEventStore.class.getName());

    /** How often a statement that lost a deadlock (to a concurrent append or deletion) is tried again. */
    private static final int ATTEMPTS = 5;

    /** The most keys the offender ranking keeps per window between calls. */
    private static final int RANKED_KEYS = 250_000;

    /** The most appended batches one fold statement takes into the rollups. */
    private static final int FOLD_BATCHES = 1000;

    /**
     * The events after which a fold statement chooses no further batch: a fold of them takes a few hundred
     * milliseconds, for which the queries that fold first, and deletions, wait.
     */
    private static final int FOLD_EVENTS = 20_000;

    /** The appended events that may wait for a fold before appends wait for the folds (see {@link #keptUp}). */
    private static final long MAX_UNFOLDED_EVENTS = 100_000;

    private final Vertx vertx;
    /** The background fold's timer, or -1 when the store folds only before queries. */
    private final long foldTimer;
    /** The background fold under way, or null. */
    private volatile Future<Void> folding;
    /**
     * How far the day rows of {@code rollup_offender_counts} reach, as this node last learnt it: they hold every folded
     * event stamped before it (V13). It only grows, so a value learnt earlier is still true of the days before it.
     */
    private final AtomicLong offenderDaysBefore = new AtomicLong(Long.MIN_VALUE);
    /** This node's move of the offenders' day rows under way, or null; guarded by {@code this}. */
    private Future<Void> offenderDaysMoving;
    /** Whether the last move of the offenders' day rows failed (and was reported). */
    private final AtomicBoolean offenderDaysFailing = new AtomicBoolean();

    private final Pool pool;
    private final Clock clock;
    private final StoreSql sql;
    private final String target;
    private final OffenderRanking ranking;
    private final OffenderRanking shadowRanking;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresEventStore(
            Vertx vertx, Pool pool, Clock clock, StoreSql sql, String target, Duration foldInterval) {
        this.vertx = vertx;
        this.pool = pool;
        this.clock = clock;
        this.sql = sql;
        this.target = target;
        this.ranking = new OffenderRanking(pool, sql.blocked, RANKED_KEYS, offenderDaysBefore::get);
        this.shadowRanking = new OffenderRanking(pool, sql.shadowBlocked, RANKED_KEYS, offenderDaysBefore::get);
        this.foldTimer =
                foldInterval.isZero() ? -1 : vertx.setPeriodic(foldInterval.toMillis(), tick -> foldInBackground());
    }

    /**
     * Connects, migrates the schema on a worker thread and answers the store; fails with an
     * {@link EventStoreException} naming the database (never its password) and the cause.
     */
    static Future<EventStore> open(Vertx vertx, PostgresStoreOptions options, Clock clock) {
        String target = options.redactedUrl();
        Pool pool;
        try {
            pool = pool(vertx, options);
        } catch (RuntimeException e) {
            return Future.failedFuture(new EventStoreException(
                    "cannot open the PostgreSQL event store at " + target + ": " + describe(e), e));
        }
        Future<Integer> migrated = pool.query("SELECT 1")
                .execute()
                .recover(failure -> Future.failedFuture(new EventStoreException(
                        "cannot open the PostgreSQL event"
                                + " store at " + target + ": " + describe(failure)
                                + "; check the 'url' setting and that the server is running",
                        failure)))
                .compose(reachable -> vertx.executeBlocking(() -> new SchemaMigration(options).migrate(), false))
                .recover(failure -> Future.failedFuture(
                        failure instanceof EventStoreException
                                ? failure
                                : new EventStoreException(
                                        "cannot migrate schema '" + options.schema() + "' of the PostgreSQL"
                                                + " event store at " + target + ": " + describe(failure),
                                        failure)));
        return migrated.<EventStore>map(done -> new PostgresEventStore(
                        vertx, pool, clock, new StoreSql(options.schema()), target, options.foldInterval()))
                .recover(failure -> pool.close().transform(closedPool -> Future.failedFuture(failure)));
    }

    private static Pool pool(Vertx vertx, PostgresStoreOptions options) {
        int connectMillis = (int) options.connectTimeout().toMillis();
        PgConnectOptions connect = options.connectOptions().setCachePreparedStatements(true);
        connect.setProperties(new HashMap<>(connect.getProperties()));
        connect.getProperties().put("application_name", "tollgate");
        // the store's statements are short; a cached generic plan's cost estimate can still pass the JIT
        // thresholds, and compiling then takes tens of times longer than running (200 ms against 10 ms)
        connect.getProperties().put("jit", "off");
        return PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(options.poolSize())
                        .setConnectionTimeout(2 * connectMillis)
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .with(new NetClientOptions().setConnectTimeout(connectMillis))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }

    @Override
    public Future<Void> append(List<RateLimitEvent> events) {
        return call("append events", () -> {
            QueryRules.checkEvents(events);
            if (events.isEmpty()) {
                return Future.succeededFuture();
            }
            Tuple batch = batch(events);
            return retried(() -> pool.preparedQuery(sql.append).execute(batch))
                    .compose(rows -> keptUp(rows.iterator().next()));
        });
    }

    @Override
    public Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events) {
        return call("append a batch", () -> {
            QueryRules.checkBatchId(batchId);
            QueryRules.checkEvents(events);
            Tuple batch = batch(events)
                    .addString(storable(batchId))
                    .addLong(QueryRules.now(clock).toEpochMilli());
            // one statement, so one transaction: one that lost a deadlock stored neither the id nor the events
            return retried(() -> pool.preparedQuery(sql.appendBatch).execute(batch))
                    .compose(rows -> {
                        Row row = rows.iterator().next();
                        return keptUp(row).map(folded -> row.getLong(0) == 1);
                    });
        });
    }

    /**
     * Completes at once while fewer than {@value #MAX_UNFOLDED_EVENTS} appended events wait for a fold (the
     * second column of an append's answer), else once they are folded: appends faster than the folds wait for
     * them, so that the events waiting, which every query folds before it answers, stay few.
     */
    private Future<Void> keptUp(Row appended) {
        return appended.getLong(1) < MAX_UNFOLDED_EVENTS ? Future.succeededFuture() : folded();
    }

    private static Tuple batch(List<RateLimitEvent> events) {
        int n = events.size();
        Long[] ts = new Long[n];
        String[] key = new String[n];
        String[] rule = new String[n];
        String[] path = new String[n];
        String[] method = new String[n];
        Boolean[] allowed = new Boolean[n];
        Long[] count = new Long[n];
        Long[] limit = new Long[n];
        String[] ip = new String[n];
        String[] user = new String[n];
        Boolean[] shadow = new Boolean[n];
        String[] userAgent = new String[n];
        Integer[] upstreamStatus = new Integer[n];
        Long[] upstreamLatency = new Long[n];
        for (int i = 0; i < n; i++) {
            RateLimitEvent event = events.get(i);
            ts[i] = event.timestamp().toEpochMilli();
            key[i] = storable(event.key());
            rule[i] = storable(event.ruleName());
            path[i] = storable(event.path());
            method[i] = storable(event.method());
            allowed[i] = event.allowed();
            count[i] = event.count();
            limit[i] = event.limit();
            ip[i] = event.ipAddress().map(PostgresEventStore::storable).orElse(null);
            user[i] = event.userId().map(PostgresEventStore::storable).orElse(null);
            shadow[i] = event.shadow();
            userAgent[i] = event.userAgent().map(PostgresEventStore::storable).orElse(null);
            upstreamStatus[i] =
                    event.upstreamStatus().isPresent() ? event.upstreamStatus().getAsInt() : null;
            upstreamLatency[i] = event.upstreamLatency().isPresent() ? event.upstreamLatencyMicros() : null;
        }
        return Tuple.from(new Object[] {
            ts,
            key,
            rule,
            path,
            method,
            allowed,
            count,
            limit,
            ip,
            user,
            shadow,
            userAgent,
            upstreamStatus,
            upstreamLatency
        });
    }

    /**
     * {@code text} as PostgreSQL can hold it: a NUL character, which no {@code text} value may contain, becomes
     * U+FFFD. Without this, one request with a NUL in a header-derived key would fail its whole batch on every
     * retry.
     */
    static String storable(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    @Override
    public Future<TrafficSummary> trafficSummary(int days) {
        return read("summarise traffic", () -> summary(windowStart(days)).map(counts -> counts.apply(days)));
    }

    @Override
    public Future<TrafficSummary> trafficSummary(TimeRange range) {
        return read(
                "summarise traffic",
                () -> summary(windowStart(range)).map(counts -> counts.apply(0).in(range)));
    }

    /** The counts of the window from {@code from}, as a summary over the days it is given. */
    private Future<IntFunction<TrafficSummary>> summary(long from) {
        Spans.Arguments spans = new Spans.Arguments();
        spans.add(Spans.cover(from, Spans.OPEN, StoreSql.TOTAL_WIDTHS), 0);
        return pool.preparedQuery(sql.totals).execute(spans.withTargets()).map(rows -> {
            long allowed = 0;
            long blocked = 0;
            long shadowBlocked = 0;
            for (Row row : rows) {
                allowed += row.getLong(1);
                blocked += row.getLong(2);
                shadowBlocked += row.getLong(3);
            }
            long[] counts = {allowed, blocked, shadowBlocked};
            return days -> TrafficSummary.of(days, counts[0], counts[1], counts[2]);
        });
    }

    @Override
    public Future<List<Offender>> topOffenders(int days, int limit) {
        return read("rank offenders", () -> {
            QueryRules.checkDays(days);
            return rank(ranking, days * StoreSql.DAY, limit);
        });
    }

    @Override
    public Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return read("rank offenders", () -> rank(ranking, length(range), limit));
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(int days, int limit) {
        return read("rank shadow offenders", () -> {
            QueryRules.checkDays(days);
            return rank(shadowRanking, days * StoreSql.DAY, limit);
        });
    }

    @Override
    public Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return read("rank shadow offenders", () -> rank(shadowRanking, length(range), limit));
    }

    /** The top of {@code ranking} over the window of {@code length} milliseconds back from now. */
    private Future<List<Offender>> rank(OffenderRanking ranking, long length, int limit) {
        QueryRules.checkLimit(limit);
        long now = QueryRules.now(clock).toEpochMilli();
        return ranking.top(now, now - length, length, limit);
    }

    private static long length(TimeRange range) {
        return QueryRules.checkRange(range).length().toMillis();
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(int days, int limit) {
        return read("count rule hits", () -> ruleHits(windowStart(days), limit));
    }

    @Override
    public Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return read("count rule hits", () -> ruleHits(windowStart(range), limit));
    }

    private Future<List<RuleHits>> ruleHits(long from, int limit) {
        QueryRules.checkLimit(limit);
        Spans.Arguments spans = new Spans.Arguments();
        spans.add(Spans.cover(from, Spans.OPEN, StoreSql.RULE_WIDTHS), 0);
        return pool.preparedQuery(sql.ruleHits)
                .execute(spans.withoutTargets(limit))
                .map(rows -> {
                    List<RuleHits> hits = new ArrayList<>();
                    rows.forEach(row ->
                            hits.add(new RuleHits(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3))));
                    return hits;
                });
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, int days, int recent) {
        return call("look up an offender", () -> {
            String wanted = RateLimitEvent.truncateKey(QueryRules.checkPresent(key, "key"));
            QueryRules.checkRecent(recent);
            long since = windowStart(days);
            return pool.preparedQuery(sql.offenderDetail)
                    .execute(Tuple.of(storable(wanted), since, recent))
                    .map(rows -> offenderDetail(wanted, days, rows));
        });
    }

    @Override
    public Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return call("look up an offender", () -> {
            String wanted = RateLimitEvent.truncateKey(QueryRules.checkPresent(key, "key"));
            long since = windowStart(range);
            QueryRules.checkRecent(recent);
            return pool.preparedQuery(sql.offenderDetail)
                    .execute(Tuple.of(storable(wanted), since, recent))
                    .map(rows -> offenderDetail(wanted, 0, rows).in(range));
        });
    }

    private static OffenderDetail offenderDetail(String key, int days, RowSet<Row> rows) {
        long allowed = 0;
        long blocked = 0;
        long shadowBlocked = 0;
        Optional<Instant> first = Optional.empty();
        Optional<Instant> last = Optional.empty();
        List<OffenderDetail.PathCount> paths = new ArrayList<>();
        List<long[]> order = new ArrayList<>();
        List<OffenderDetail.RecentEvent> recent = new ArrayList<>();
        for (Row row : rows) {
            switch (row.getInteger("part")) {
                case 0 -> {
                    allowed = row.getLong("n1");
                    blocked = row.getLong("n2");
                    shadowBlocked = row.getLong("n3");
                    first = Optional.ofNullable(row.getLong("ts")).map(Instant::ofEpochMilli);
                    last = Optional.ofNullable(row.getLong("n0")).map(Instant::ofEpochMilli);
                }
                case 1 -> paths.add(new OffenderDetail.PathCount(row.getString("path"), row.getLong("n1")));
                default -> {
                    order.add(new long[] {row.getLong("ts"), row.getLong("n0"), recent.size()});
                    recent.add(new OffenderDetail.RecentEvent(
                            Instant.ofEpochMilli(row.getLong("ts")),
                            row.getString("path"),
                            row.getString("method"),
                            row.getBoolean("allowed"),
                            row.getBoolean("shadow"),
                            row.getLong("n1"),
                            row.getLong("n2"),
                            row.getString("rule_name")));
                }
            }
        }
        if (allowed + blocked + shadowBlocked == 0) {
            return OffenderDetail.empty(key, days);
        }
        // a UNION ALL keeps each part's order in practice; sorting again makes it a guarantee
        paths.sort(Comparator.comparingLong(OffenderDetail.PathCount::count)
                .reversed()
                .thenComparing(OffenderDetail.PathCount::path));
        order.sort(Comparator.<long[]>comparingLong(entry -> entry[0])
                .thenComparingLong(entry -> entry[1])
                .reversed());
        List<OffenderDetail.RecentEvent> newestFirst = new ArrayList<>(recent.size());
        order.forEach(entry -> newestFirst.add(recent.get((int) entry[2])));
        return OffenderDetail.of(key, days, allowed, blocked, shadowBlocked, first, last, paths, newestFirst);
    }

    @Override
    public Future<TimeSeries> timeSeries(int days, int buckets) {
        return read("build the time series", () -> {
            QueryRules.checkDays(days);
            QueryRules.checkBuckets(buckets);
            return filled(TimeSeries.layout(QueryRules.now(clock), days, buckets))
                    .map(filled -> new TimeSeries(days, TimeSeries.bucketWidth(days, buckets), filled));
        });
    }

    @Override
    public Future<TimeSeries> timeSeries(TimeRange range) {
        return read("build the time series", () -> {
            QueryRules.checkRange(range);
            return filled(TimeSeries.layout(QueryRules.now(clock), range)).map(filled -> TimeSeries.of(range, filled));
        });
    }

    /** {@code layout} with the counts of its buckets, in one statement. */
    private Future<List<TimeSeries.Bucket>> filled(List<TimeSeries.Bucket> layout) {
        int buckets = layout.size();
        Spans.Arguments spans = new Spans.Arguments();
        for (int i = 0; i < buckets; i++) {
            // the newest bucket also holds the events stamped after now
            long end = i == buckets - 1 ? Spans.OPEN : layout.get(i).end().toEpochMilli();
            spans.add(Spans.cover(layout.get(i).start().toEpochMilli(), end, StoreSql.TOTAL_WIDTHS), i);
        }
        return pool.preparedQuery(sql.totals).execute(spans.withTargets()).map(rows -> {
            long[] allowed = new long[buckets];
            long[] blocked = new long[buckets];
            long[] shadowBlocked = new long[buckets];
            for (Row row : rows) {
                int i = row.getInteger(0);
                allowed[i] += row.getLong(1);
                blocked[i] += row.getLong(2);
                shadowBlocked[i] += row.getLong(3);
            }
            List<TimeSeries.Bucket> filled = new ArrayList<>(buckets);
            for (int i = 0; i < buckets; i++) {
                filled.add(layout.get(i).withCounts(allowed[i], blocked[i], shadowBlocked[i]));
            }
            return filled;
        });
    }

    @Override
    public Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit) {
        return read("rank blocked paths", () -> blockedValues(sql.panels.blockedPaths, range, limit));
    }

    @Override
    public Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit) {
        return read("rank blocked user agents", () -> blockedValues(sql.panels.blockedUserAgents, range, limit));
    }

    private Future<List<BlockedCount>> blockedValues(String query, TimeRange range, int limit) {
        PanelRules.checkRange(range);
        PanelRules.checkRows(limit, "limit");
        Spans.Arguments spans = new Spans.Arguments();
        spans.add(Spans.cover(rangeStart(range), Spans.OPEN, PanelSql.VALUE_WIDTHS), 0);
        return pool.preparedQuery(query)
                .execute(spans.withoutTargets((long) limit))
                .map(PostgresEventStore::ranked);
    }

    @Override
    public Future<UpstreamStats> upstreamStats(TimeRange range) {
        return read("summarise upstream answers", () -> {
            PanelRules.checkRange(range);
            Spans.Arguments spans = new Spans.Arguments();
            spans.add(Spans.cover(rangeStart(range), Spans.OPEN, PanelSql.UPSTREAM_WIDTHS), 0);
            return pool.preparedQuery(sql.panels.upstream)
                    .execute(spans.appendWithoutTargets(Tuple.tuple()))
                    .map(rows -> {
                        long[] classes = new long[5];
                        long[] histogram = new long[LatencyHistogram.BUCKETS];
                        for (Row row : rows) {
                            long n = row.getLong("n");
                            classes[row.getInteger("class") - 1] += n;
                            int bucket = row.getInteger("bucket");
                            if (bucket >= 0) {
                                histogram[bucket] += n;
                            }
                        }
                        return UpstreamStats.of(range, classes, histogram);
                    });
        });
    }

    @Override
    public Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules) {
        return read("series blocked events by rule", () -> {
            PanelRules.checkRange(range);
            PanelRules.checkRows(maxRules, "maxRules");
            Instant now = QueryRules.now(clock);
            List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
            int buckets = layout.size();
            Spans.Arguments spans = new Spans.Arguments();
            for (int i = 0; i < buckets; i++) {
                // the newest bucket also holds the events stamped after now
                long end = i == buckets - 1 ? Spans.OPEN : layout.get(i).end().toEpochMilli();
                spans.add(Spans.cover(layout.get(i).start().toEpochMilli(), end, StoreSql.RULE_WIDTHS), i);
            }
            return pool.preparedQuery(sql.panels.blockedByRule)
                    .execute(spans.withTargets())
                    .map(rows -> {
                        Map<String, long[]> byRule = new HashMap<>();
                        for (Row row : rows) {
                            byRule.computeIfAbsent(row.getString("rule_name"), rule -> new long[buckets])[
                                            row.getInteger("target")] +=
                                    row.getLong("n");
                        }
                        return BlockedByRule.of(range, layout, byRule, maxRules);
                    });
        });
    }

    @Override
    public Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents) {
        return call("draw an offender's timeline", () -> {
            String wanted = RateLimitEvent.truncateKey(QueryRules.checkPresent(key, "key"));
            PanelRules.checkRange(range);
            PanelRules.checkRows(userAgents, "userAgents");
            Instant now = QueryRules.now(clock);
            long start = range.start(now).toEpochMilli();
            Future<RowSet<Row>> buckets = pool.preparedQuery(sql.panels.keyBuckets)
                    .execute(Tuple.of(
                            start, range.bucket().toMillis(), (long) range.buckets(), storable(wanted), Spans.OPEN));
            Future<RowSet<Row>> agents = pool.preparedQuery(sql.panels.keyUserAgents)
                    .execute(Tuple.of(start, storable(wanted), (long) userAgents, Spans.OPEN));
            return Future.all(buckets, agents).map(done -> {
                List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
                List<TimeSeries.Bucket> filled = new ArrayList<>(layout);
                for (Row row : buckets.result()) {
                    int i = row.getLong("i").intValue();
                    filled.set(
                            i,
                            layout.get(i)
                                    .withCounts(
                                            row.getLong("allowed"),
                                            row.getLong("blocked"),
                                            row.getLong("shadow_blocked")));
                }
                return new OffenderTimeline(wanted, range, filled, ranked(agents.result()));
            });
        });
    }

    private long rangeStart(TimeRange range) {
        return range.start(QueryRules.now(clock)).toEpochMilli();
    }

    private static List<BlockedCount> ranked(RowSet<Row> rows) {
        List<BlockedCount> ranked = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ranked.add(new BlockedCount(row.getString("value"), row.getLong("n")));
        }
        return ranked;
    }

    @Override
    public Future<Long> deleteOlderThan(int days, int batchSize) {
        return call("delete old events", () -> {
            QueryRules.checkBatchSize(batchSize);
            long cutoff = windowStart(days);
            return deleteBatches(cutoff, batchSize, 0)
                    .compose(deleted -> retried(() -> underFoldLock(sql.settleShards, Tuple.of(cutoff)))
                            .compose(settled -> underFoldLock(sql.dropEmptyRollups, Tuple.of(cutoff)))
                            .compose(dropped ->
                                    pool.preparedQuery(sql.dropOldAlertMarks).execute(Tuple.of(cutoff)))
                            .compose(dropped ->
                                    pool.preparedQuery(sql.dropOldBatches).execute(Tuple.of(cutoff)))
                            .compose(dropped -> pool.preparedQuery(sql.dropEndedQuotas)
                                    .execute(Tuple.of(Math.floorDiv(clock.millis(), 1_000L))))
                            .map(dropped -> deleted));
        });
    }

    private Future<Long> deleteBatches(long cutoff, int batchSize, long deletedSoFar) {
        if (closed.get()) {
            return Future.failedFuture(closedStore());
        }
        // under the fold lock: no fold adds events that this deletion takes away, and no fold takes in after it
        // events it deleted as still waiting
        return retried(() -> underFoldLock(sql.delete, Tuple.of(cutoff, batchSize)))
                .compose(rows -> {
                    long deleted = rows.iterator().next().getLong(0);
                    long total = deletedSoFar + deleted;
                    return deleted < batchSize
                            ? Future.succeededFuture(total)
                            : deleteBatches(cutoff, batchSize, total);
                });
    }

    @Override
    public Future<EventPage> events(EventQuery query) {
        return call("list events", () -> {
            QueryRules.checkPresent(query, "query");
            List<String> where = new ArrayList<>();
            List<Object> arguments = new ArrayList<>();
            query.key().ifPresent(key -> where.add("key = $" + argument(arguments, storable(key))));
            query.ruleName().ifPresent(rule -> where.add("rule_name = $" + argument(arguments, storable(rule))));
            query.path().ifPresent(path -> where.add("path = $" + argument(arguments, storable(path))));
            switch (query.outcome()) {
                case ALLOWED -> where.add("allowed AND NOT shadow");
                case BLOCKED -> where.add("NOT allowed");
                case SHADOW_BLOCKED -> where.add("allowed AND shadow");
                case ANY -> {}
            }
            query.from().ifPresent(from -> where.add("ts >= $" + argument(arguments, from.toEpochMilli())));
            query.to().ifPresent(to -> where.add("ts < $" + argument(arguments, to.toEpochMilli())));
            query.search().ifPresent(text -> {
                int n = argument(arguments, storable(text));
                where.add("(strpos(lower(key), lower($" + n + "::text)) > 0 OR strpos(lower(path), lower($" + n
                        + "::text)) > 0)");
            });
            query.cursor()
                    .ifPresent(cursor -> where.add("(ts, id) < ($"
                            + argument(arguments, cursor.timestamp().toEpochMilli()) + "::bigint, $"
                            + argument(arguments, cursor.tiebreak()) + "::bigint)"));
            int limit = argument(arguments, query.pageSize() + 1);
            String statement = sql.events(String.join(" AND ", where), limit);
            return pool.preparedQuery(statement).execute(Tuple.from(arguments)).map(rows -> page(query, rows));
        });
    }

    private static int argument(List<Object> arguments, Object value) {
        arguments.add(value);
        return arguments.size();
    }

    private static EventPage page(EventQuery query, RowSet<Row> rows) {
        List<RateLimitEvent> events = new ArrayList<>();
        long lastMillis = 0;
        long lastId = 0;
        boolean more = false;
        for (Row row : rows) {
            if (events.size() == query.pageSize()) {
                more = true;
                break;
            }
            lastId = row.getLong("id");
            lastMillis = row.getLong("ts");
            events.add(new RateLimitEvent(
                    Instant.ofEpochMilli(lastMillis),
                    row.getString("key"),
                    row.getString("rule_name"),
                    row.getString("path"),
                    row.getString("method"),
                    row.getBoolean("allowed"),
                    row.getLong("count"),
                    row.getLong("limit"),
                    Optional.ofNullable(row.getString("ip_address")),
                    Optional.ofNullable(row.getString("user_id")),
                    row.getBoolean("shadow"),
                    Optional.ofNullable(row.getString("user_agent")),
                    row.getInteger("upstream_status") == null
                            ? OptionalInt.empty()
                            : OptionalInt.of(row.getInteger("upstream_status")),
                    Optional.ofNullable(row.getLong("upstream_latency_us"))
                            .map(micros -> Duration.ofNanos(micros * 1000))));
        }
        Optional<String> next = more
                ? Optional.of(new EventCursor(Instant.ofEpochMilli(lastMillis), lastId).encode())
                : Optional.empty();
        return new EventPage(events, next);
    }

    @Override
    public Future<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        if (foldTimer >= 0) {
            vertx.cancelTimer(foldTimer);
        }
        // batches still waiting are folded by the next store on this database, or before its first query
        Future<Void> folded = folding == null ? Future.succeededFuture() : folding;
        Future<Void> moved;
        synchronized (this) {
            moved = offenderDaysMoving == null ? Future.succeededFuture() : offenderDaysMoving;
        }
        return Future.join(folded, moved).transform(done -> pool.close());
    }

    @Override
    public Future<Map<String, Instant>> alertedSince(String kind, Instant since) {
        return call("read alert marks", () -> {
            QueryRules.checkKind(kind);
            QueryRules.checkPresent(since, "since");
            long from =
                    since.toEpochMilli() + (since.truncatedTo(ChronoUnit.MILLIS).equals(since) ? 0 : 1);
            return pool.preparedQuery(sql.alertedSince)
                    .execute(Tuple.of(kind, from))
                    .map(rows -> {
                        Map<String, Instant> marks = new java.util.HashMap<>();
                        for (io.vertx.sqlclient.Row row : rows) {
                            marks.put(row.getString(0), Instant.ofEpochMilli(row.getLong(1)));
                        }
                        return marks;
                    });
        });
    }

    @Override
    public Future<Void> recordAlerted(String kind, java.util.Collection<String> keys, Instant at) {
        return call("record alert marks", () -> {
            QueryRules.checkKind(kind);
            java.util.Set<String> kept = QueryRules.checkKeys(keys);
            QueryRules.checkPresent(at, "at");
            if (kept.isEmpty()) {
                return Future.succeededFuture();
            }
            return pool.preparedQuery(sql.recordAlerted)
                    .execute(Tuple.of(
                            kind,
                            kept.toArray(new String[0]),
                            Timestamps.truncate(at).toEpochMilli()))
                    .mapEmpty();
        });
    }

    @Override
    public Future<List<StoredRule>> storedRules() {
        return call(
                "read the dashboard rules",
                () -> pool.query(sql.storedRules).execute().map(rows -> {
                    List<StoredRule> rules = new ArrayList<>();
                    for (Row row : rows) {
                        rules.add(new StoredRule(
                                row.getString(0),
                                new JsonObject(row.getString(1)),
                                row.getLong(2),
                                Instant.ofEpochMilli(row.getLong(3)),
                                row.getString(4)));
                    }
                    // COLLATE "C" orders by UTF-8 bytes, String.compareTo by UTF-16 units: they differ past U+FFFF
                    rules.sort(Comparator.comparing(StoredRule::name));
                    return rules;
                }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: a creation takes the schema's advisory lock for rule creations (so that the bound holds),
     * then inserts the rule and its change in one statement unless the name exists; an update locks the rule's row,
     * compares its version, updates it and inserts the change. Changes beyond the newest
     * {@value EventStore#MAX_RULE_CHANGES} are removed by the statement that inserts a change.
     */
    @Override
    public boolean keepsQuotas() {
        return true;
    }

    @Override
    public Future<QuotaCount> takeQuota(
            String quota, String key, long periodStart, long periodEnd, long cost, long limit) {
        return call("count a quota", () -> {
            checkQuota(quota, key);
            if (cost < 1 || cost > limit) {
                throw new IllegalArgumentException("a quota's cost is from 1 to its limit " + limit + ", got " + cost);
            }
            return retried(() -> pool.preparedQuery(sql.takeQuota)
                            .execute(Tuple.of(quota, key, periodStart, periodEnd, cost, limit)))
                    .compose(rows -> rows.rowCount() == 1
                            ? Future.succeededFuture(
                                    new QuotaCount(true, rows.iterator().next().getLong(0)))
                            : quotaCount(quota, key, periodStart).map(count -> new QuotaCount(false, count)));
        });
    }

    @Override
    public Future<Long> quotaCount(String quota, String key, long periodStart) {
        return call("read a quota", () -> {
            checkQuota(quota, key);
            return pool.preparedQuery(sql.quotaCount)
                    .execute(Tuple.of(quota, key, periodStart))
                    .map(rows ->
                            rows.rowCount() == 0 ? 0L : rows.iterator().next().getLong(0));
        });
    }

    @Override
    public Future<Void> forgetQuota(String quota, String key, long periodStart) {
        return call("forget a quota", () -> {
            checkQuota(quota, key);
            return pool.preparedQuery(sql.forgetQuota)
                    .execute(Tuple.of(quota, key, periodStart))
                    .mapEmpty();
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: it takes the advisory lock of the schema, quota and key, sums the key's days in the window,
     * and adds the cost to the current day's row when it fits. The lock, not the rows, makes it atomic: a key with no
     * row yet has nothing to lock.
     */
    @Override
    public Future<QuotaDays> takeQuotaDays(
            String quota, String key, long windowStart, long dayStart, long dayLeaves, long cost, long limit) {
        return call("count a rolling quota", () -> {
            checkQuota(quota, key);
            if (cost < 1 || cost > limit) {
                throw new IllegalArgumentException("a quota's cost is from 1 to its limit " + limit + ", got " + cost);
            }
            String lockName = sql.quotaLockPrefix + quota + "|" + key;
            return retried(() -> pool.withTransaction(connection -> connection
                    .preparedQuery(sql.lockQuotaKey)
                    .execute(Tuple.of(lockName))
                    .compose(locked ->
                            connection.preparedQuery(sql.quotaDays).execute(Tuple.of(quota, key, windowStart)))
                    .compose(rows -> {
                        SortedMap<Long, Long> days = days(rows);
                        long used = days.values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                        if (used + cost > limit) {
                            return Future.succeededFuture(new QuotaDays(false, days));
                        }
                        days.merge(dayStart, cost, Long::sum);
                        return connection
                                .preparedQuery(sql.addQuotaDay)
                                .execute(Tuple.of(quota, key, dayStart, dayLeaves, cost))
                                .map(added -> new QuotaDays(true, days));
                    })));
        });
    }

    @Override
    public Future<SortedMap<Long, Long>> quotaDays(String quota, String key, long windowStart) {
        return call("read a rolling quota", () -> {
            checkQuota(quota, key);
            return pool.preparedQuery(sql.quotaDays)
                    .execute(Tuple.of(quota, key, windowStart))
                    .map(rows -> Collections.unmodifiableSortedMap(days(rows)));
        });
    }

    @Override
    public Future<Void> forgetQuotaDays(String quota, String key) {
        return call("forget a rolling quota", () -> {
            checkQuota(quota, key);
            return pool.preparedQuery(sql.forgetQuotaDays)
                    .execute(Tuple.of(quota, key))
                    .mapEmpty();
        });
    }

    private static SortedMap<Long, Long> days(RowSet<Row> rows) {
        SortedMap<Long, Long> days = new TreeMap<>();
        for (Row row : rows) {
            days.put(row.getLong(0), row.getLong(1));
        }
        return days;
    }

    private static void checkQuota(String quota, String key) {
        if (quota == null || quota.isEmpty() || quota.length() > MAX_QUOTA_TEXT) {
            throw new IllegalArgumentException("a quota's name is 1 to " + MAX_QUOTA_TEXT + " characters");
        }
        if (key == null || key.isEmpty() || key.length() > MAX_QUOTA_TEXT) {
            throw new IllegalArgumentException("a quota's key is 1 to " + MAX_QUOTA_TEXT + " characters");
        }
    }

    @Override
    public Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return call("save a dashboard rule", () -> {
            QueryRules.checkRuleName(name);
            String encoded = QueryRules.checkRuleConfig(config);
            QueryRules.checkExpectedVersion(expectedVersion, true);
            QueryRules.checkWho(who);
            QueryRules.checkAction(action);
            long atMillis =
                    Timestamps.truncate(QueryRules.checkPresent(at, "at")).toEpochMilli();
            StoredRule saved = new StoredRule(
                    name, new JsonObject(encoded), expectedVersion + 1, Instant.ofEpochMilli(atMillis), who);
            return retried(() -> pool.withTransaction(connection -> expectedVersion == 0
                            ? create(connection, name, encoded, atMillis, who, action)
                            : update(connection, name, encoded, expectedVersion, atMillis, who)
                                    .compose(before ->
                                            recordChange(connection, atMillis, who, action, name, before, encoded))))
                    .map(saved);
        });
    }

    /** Creates the rule and records the change, unless the rule exists or the store holds the most rules. */
    private Future<Void> create(
            SqlConnection connection, String name, String config, long atMillis, String who, String action) {
        return connection
                .preparedQuery(sql.lockRules)
                .execute(Tuple.of(sql.rulesLockKey))
                .compose(locked -> connection
                        .preparedQuery(sql.createRule)
                        .execute(Tuple.of(
                                name, config, atMillis, who, (long) MAX_STORED_RULES, action, (long) MAX_RULE_CHANGES)))
                .compose(created -> created.iterator().next().getLong(0) == 1
                        ? Future.<Void>succeededFuture()
                        : connection
                                .preparedQuery(sql.ruleVersion)
                                .execute(Tuple.of(name))
                                .compose(found -> {
                                    if (found.rowCount() == 0) {
                                        return Future.failedFuture(QueryRules.tooManyRules(name));
                                    }
                                    return Future.failedFuture(new RuleConflictException(
                                            name, 0, found.iterator().next().getLong(0)));
                                }));
    }

    /** Replaces the rule's configuration when it is at {@code expected}; answers its configuration before. */
    private Future<String> update(
            SqlConnection connection, String name, String config, long expected, long atMillis, String who) {
        return lockRule(connection, name, expected)
                .compose(before -> connection
                        .preparedQuery(sql.updateRule)
                        .execute(Tuple.of(name, config, atMillis, who, expected))
                        .compose(updated -> updated.rowCount() == 1
                                ? Future.succeededFuture(before)
                                : Future.failedFuture(new EventStoreException(
                                        "rule '" + name + "' changed under its row lock; try again"))));
    }

    /** Locks the rule's row until the commit; answers its configuration when it is at {@code expected}. */
    private Future<String> lockRule(SqlConnection connection, String name, long expected) {
        return connection.preparedQuery(sql.lockRule).execute(Tuple.of(name)).compose(rows -> {
            long actual = rows.rowCount() == 0 ? 0 : rows.iterator().next().getLong(0);
            if (actual != expected) {
                return Future.failedFuture(new RuleConflictException(name, expected, actual));
            }
            return Future.succeededFuture(rows.iterator().next().getString(1));
        });
    }

    private Future<Void> recordChange(
            SqlConnection connection,
            long atMillis,
            String who,
            String action,
            String name,
            String before,
            String after) {
        return connection
                .preparedQuery(sql.recordRuleChange)
                .execute(Tuple.of(atMillis, who, action, name, before, after, (long) MAX_RULE_CHANGES))
                .mapEmpty();
    }

    @Override
    public Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return call("delete a dashboard rule", () -> {
            QueryRules.checkRuleName(name);
            QueryRules.checkExpectedVersion(expectedVersion, false);
            QueryRules.checkWho(who);
            long atMillis =
                    Timestamps.truncate(QueryRules.checkPresent(at, "at")).toEpochMilli();
            return retried(() -> pool.withTransaction(connection -> lockRule(connection, name, expectedVersion)
                    .compose(before -> connection
                            .preparedQuery(sql.deleteRule)
                            .execute(Tuple.of(name, expectedVersion))
                            .compose(deleted ->
                                    recordChange(connection, atMillis, who, DELETE_ACTION, name, before, null)))));
        });
    }

    @Override
    public Future<List<RuleChange>> ruleChanges(int limit) {
        return call("read the dashboard rule changes", () -> {
            QueryRules.checkRuleChangesLimit(limit);
            return pool.preparedQuery(sql.ruleChanges).execute(Tuple.of(limit)).map(rows -> {
                List<RuleChange> changes = new ArrayList<>();
                for (Row row : rows) {
                    String before = row.getString(5);
                    String after = row.getString(6);
                    changes.add(new RuleChange(
                            row.getLong(0),
                            Instant.ofEpochMilli(row.getLong(1)),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            before == null ? null : new JsonObject(before),
                            after == null ? null : new JsonObject(after)));
                }
                return changes;
            });
        });
    }

    private long windowStart(int days) {
        return QueryRules.windowStart(QueryRules.now(clock), days);
    }

    private long windowStart(TimeRange range) {
        return QueryRules.windowStart(QueryRules.now(clock), range);
    }

    /**
     * {@link #call} for a query that reads the rollups: first the batches appended before it are folded into them,
     * so that it counts every event whose append completed before it began. It does not wait for the offenders' day
     * rows to move on (see {@link #moveOffenderDaysOn}).
     */
    private <T> Future<T> read(String doing, Supplier<Future<T>> work) {
        return call(
                doing,
                () -> folded().compose(done -> {
                    moveOffenderDaysOn();
                    return work.get();
                }));
    }

    /** Folds every batch appended so far into the rollups (one short query when there is none). */
    Future<Void> folded() {
        return pool.query(sql.newestUnfolded).execute().compose(rows -> {
            Long newest = rows.iterator().next().getLong(0);
            return newest == null ? Future.succeededFuture() : foldUpTo(newest);
        });
    }

    /**
     * Starts moving the offenders' day rows on when a day has passed since they last moved, unless it is under way
     * on this node already. Nothing waits for it: a ranking reads the hour rows of the days the day rows do not reach
     * yet, so it is exact either way, and on a day of many keys the move takes a while (it adds up a day's hour rows).
     * A failure is reported once until a move succeeds again, and the move is tried again after the next fold.
     */
    private void moveOffenderDaysOn() {
        long due = offenderDaysDue();
        if (due <= offenderDaysBefore.get()) {
            // nearly every call: the day rows reach as far as they are due, seen without taking the lock
            return;
        }
        Future<Void> moving;
        synchronized (this) {
            if (offenderDaysMoving != null || closed.get()) {
                return;
            }
            moving = offenderDaysReached(due);
            // kept before the handler below is attached: a move that fails at once completes it right away
            offenderDaysMoving = moving;
        }
        moving.onComplete(done -> {
            synchronized (this) {
                if (offenderDaysMoving == moving) {
                    offenderDaysMoving = null;
                }
            }
            if (done.succeeded()) {
                offenderDaysFailing.set(false);
            } else if (!closed.get() && offenderDaysFailing.compareAndSet(false, true)) {
                LOG.warning("could not add up the offenders' day rows in PostgreSQL at " + target + ": "
                        + describe(done.cause()) + "; rankings stay exact (they read hour rows for those days)"
                        + " and it is tried again after the next fold");
            }
        });
    }

    /** Moves the offenders' day rows on as far as they are due now, after any move under way on this node. */
    Future<Void> offenderDaysReached() {
        Future<Void> moving;
        synchronized (this) {
            moving = offenderDaysMoving;
        }
        Future<Void> before = moving == null ? Future.succeededFuture() : moving.otherwiseEmpty();
        return before.compose(done -> offenderDaysReached(offenderDaysDue()));
    }

    /** The start of the day that ended at least {@link OffenderRanking#SETTLE} ago: where the day rows are due. */
    private long offenderDaysDue() {
        return floor(QueryRules.now(clock).toEpochMilli() - OffenderRanking.SETTLE, StoreSql.DAY);
    }

    /**
     * Moves the reach of the offenders' day rows on to {@code due} (a day's start), an hour with hour rows per
     * transaction, each under the fold lock; at once when this node knows they reach it already (any node may have
     * moved them: the first call on a node asks the database).
     */
    private Future<Void> offenderDaysReached(long due) {
        long known = offenderDaysBefore.get();
        if (due <= known || closed.get()) {
            return Future.succeededFuture();
        }
        return retried(() -> underFoldLock(sql.reachOffenderDays, Tuple.of(due)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        // the schema has lost its row of offender_days: folds write no day rows, and queries read none
                        return Future.succeededFuture();
                    }
                    long reached = rows.iterator().next().getLong(0);
                    offenderDaysBefore.accumulateAndGet(reached, Math::max);
                    return reached > known && reached < due ? offenderDaysReached(due) : Future.succeededFuture();
                });
    }

    /**
     * Folds the batches up to {@code newest}, about {@value #FOLD_EVENTS} events at a time, until none is left, each fold in a
     * transaction of its own that first takes the fold lock: folds and deletions of old events (on every node) run
     * one at a time, and each statement starts after the one before it committed, so that it sees the rows it added
     * (the bound on the panels' values per bucket counts them) and which batches it took in.
     */
    private Future<Void> foldUpTo(long newest) {
        if (closed.get()) {
            return Future.failedFuture(closedStore());
        }
        return retried(() -> underFoldLock(sql.fold, Tuple.of(FOLD_BATCHES, newest, FOLD_EVENTS)))
                .compose(rows -> rows.iterator().next().getLong(0) == 0 ? Future.succeededFuture() : foldUpTo(newest));
    }

    /**
     * Runs {@code statement} in a transaction that first takes the fold lock, so that no fold runs beside it: the
     * deletions of old events, which must not take away what a fold is adding, and the tidying after them, which
     * must not drop a rollup row or an overflow mark that a fold of late events is adding.
     */
    private Future<RowSet<Row>> underFoldLock(String statement, Tuple arguments) {
        return pool.withTransaction(connection -> connection
                .preparedQuery(sql.foldLock)
                .execute(Tuple.of(sql.foldLockKey))
                .compose(locked -> connection.preparedQuery(statement).execute(arguments)));
    }

    /** The periodic fold: one at a time; a failure is left to the next tick and to the queries, which report it. */
    private void foldInBackground() {
        if (folding == null && !closed.get()) {
            folding = folded().otherwiseEmpty().onComplete(done -> {
                folding = null;
                moveOffenderDaysOn();
            });
        }
    }

    /**
     * Runs {@code work} unless the store is closed, answering a bad argument with its
     * {@link IllegalArgumentException} and any database failure with an {@link EventStoreException} that names
     * the database and what was being done.
     */
    private <T> Future<T> call(String doing, Supplier<Future<T>> work) {
        if (closed.get()) {
            return Future.failedFuture(closedStore());
        }
        Future<T> answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return answer.recover(failure -> Future.failedFuture(
                failure instanceof IllegalArgumentException || failure instanceof EventStoreException
                        ? failure
                        : closed.get()
                                ? closedStore()
                                : new EventStoreException(
                                        "could not " + doing + " in PostgreSQL at " + target + ": " + describe(failure),
                                        failure)));
    }

    private EventStoreException closedStore() {
        return new EventStoreException("the PostgreSQL event store at " + target + " is closed");
    }

    /** {@code statement}, tried again when PostgreSQL aborted it to break a deadlock. */
    private <T> Future<T> retried(Supplier<Future<T>> statement) {
        return retried(statement, ATTEMPTS);
    }

    private <T> Future<T> retried(Supplier<Future<T>> statement, int attempts) {
        return statement
                .get()
                .recover(failure -> attempts > 1 && !closed.get() && isDeadlock(failure)
                        ? retried(statement, attempts - 1)
                        : Future.failedFuture(failure));
    }

    private static boolean isDeadlock(Throwable failure) {
        return failure instanceof PgException pg
                && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
    }

    /** The innermost cause's message, which says what went wrong rather than what was being attempted. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).trim();
    }

    /** The first multiple of {@code width} at or after {@code millis}. */
    static long ceil(long millis, long width) {
        return -Math.floorDiv(-millis, width) * width;
    }

    /** The last multiple of {@code width} at or before {@code millis}. */
    static long floor(long millis, long width) {
        return Math.floorDiv(millis, width) * width;
    }
}
