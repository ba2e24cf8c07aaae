package dev.tollgate.store.postgres;

import dev.tollgate.events.OffenderDetail;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The store's SQL, its tables qualified with the configured schema.
 *
 * <p>Timestamps are epoch milliseconds. Each rollup keeps counts per time bucket at several widths
 * ({@link #TOTAL_WIDTHS}, {@link #RULE_WIDTHS}, {@link #OFFENDER_WIDTHS}), keyed by width and the bucket's
 * first millisecond. A query is handed the {@link Spans} of its range: whole buckets it adds up from a
 * rollup, and edges it counts from the events. Appends and deletions change the events and every rollup
 * in one statement, so the two always agree.
 *
 * <p>Every event is counted as exactly one of allowed ({@code allowed AND NOT shadow}), blocked ({@code NOT allowed})
 * and shadow-blocked ({@code allowed AND shadow}); the rollups keep the three apart.
 */
final class StoreSql {

    static final long SECOND = 1_000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** The bucket widths of {@code rollup_totals}, widest first: the summary and the time series. */
    static final long[] TOTAL_WIDTHS = {DAY, HOUR, MINUTE, SECOND};
    /** The bucket widths of {@code rollup_rules}, widest first. */
    static final long[] RULE_WIDTHS = {DAY, HOUR, MINUTE};
    /**
     * The bucket widths of {@code rollup_offender_counts}, widest first. Keys are many, so no minute buckets: the partial
     * hour at a window's edge is counted from the blocked events through their {@code (allowed, ts)} index, or from
     * the shadow-blocked ones through their partial index.
     */
    static final long[] OFFENDER_WIDTHS = {DAY, HOUR};

    /** How many shards the rows of {@code rollup_totals} and {@code rollup_rules} are spread over. */
    static final int SHARDS = 8;

    /** The shard of the current transaction: concurrent transactions have neighbouring ids. */
    private static final String SHARD = "(pg_current_xact_id()::text::bigint % " + SHARDS + ")::smallint";

    /** The ids an append takes at a time: the step of the events' identity sequence (V12). */
    static final int ID_BLOCK = 1000;

    private static final String COLUMNS =
            "ts, key, rule_name, path, method, allowed, count, \"limit\", ip_address, user_id, shadow, user_agent,"
                    + " upstream_status, upstream_latency_us";

    final String append;
    final String fold;
    final String newestUnfolded;
    final String reachOffenderDays;
    final String foldLockKey;
    final String foldLock;
    final String appendBatch;
    final String delete;
    final String settleShards;
    final String dropEmptyRollups;
    final String recordAlerted;
    final String alertedSince;
    final String dropOldAlertMarks;
    final String dropOldBatches;
    final String takeQuota;
    final String quotaCount;
    final String forgetQuota;
    final String dropEndedQuotas;
    final String lockQuotaKey;
    /** What the advisory lock of a rolling quota's key is named after, before the quota and the key; one per schema. */
    final String quotaLockPrefix;

    final String quotaDays;
    final String addQuotaDay;
    final String forgetQuotaDays;
    final String totals;
    /** The key of the advisory lock that creations of dashboard rules take, one per schema. */
    final String rulesLockKey;

    final String lockRules;
    final String storedRules;
    final String createRule;
    final String ruleVersion;
    final String lockRule;
    final String updateRule;
    final String deleteRule;
    final String recordRuleChange;
    final String ruleChanges;
    /** The statements of the offender ranking, counting blocked events. */
    final Ranking blocked;
    /** The statements of the shadow ranking, counting shadow-blocked events. */
    final Ranking shadowBlocked;

    final String ruleHits;
    final String offenderDetail;
    /** The statements of the dashboard's panel queries. */
    final PanelSql panels;

    private final String events;

    StoreSql(String schema) {
        String s = "\"" + schema + "\".";
        panels = new PanelSql(s);
        append = """
                WITH input AS (
                    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                                         $6::boolean[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                                         $11::boolean[], $12::text[], $13::int[], $14::bigint[])
                        WITH ORDINALITY AS t(%1$s, ord)
                ), %3$s
                SELECT count(*), (SELECT coalesce(sum(events), 0) FROM %2$sunfolded) FROM input
                """.formatted(COLUMNS, s, stored(s));
        // $1..$14 the events as for append, $15 the batch id, $16 now: the events are stored only when the id is
        // new, which the id's insert decides (a concurrent insert of the same id waits for the other's commit)
        appendBatch = """
                WITH claimed AS (
                    INSERT INTO %2$sstored_batches (batch_id, stored_ms, newest_event_ms)
                    VALUES ($15, $16, (SELECT max(ts) FROM unnest($1::bigint[]) AS ts))
                    ON CONFLICT (batch_id) DO NOTHING
                    RETURNING batch_id
                ), input AS (
                    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                                         $6::boolean[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                                         $11::boolean[], $12::text[], $13::int[], $14::bigint[])
                        WITH ORDINALITY AS t(%1$s, ord)
                     WHERE EXISTS (SELECT 1 FROM claimed)
                ), %3$s
                SELECT count(*), (SELECT coalesce(sum(events), 0) FROM %2$sunfolded) FROM claimed
                """.formatted(COLUMNS, s, stored(s));
        // $1 the most batches, $2 the newest batch to take in, $3 the events after which no further batch is
        // chosen: the batches up to $2, oldest first, while fewer than $3 events come before them (so at least
        // one); answers the batches it chose and those it took in
        fold = """
                WITH chosen AS (
                    SELECT batch FROM (
                        SELECT batch, sum(events) OVER (ORDER BY batch) - events AS before
                          FROM %1$sunfolded WHERE batch <= $2 ORDER BY batch LIMIT $1
                    ) c WHERE before < $3
                ), taken AS (
                    DELETE FROM %1$sunfolded WHERE batch IN (SELECT batch FROM chosen) RETURNING first_id, last_id
                ), folded AS (
                    -- each batch taken is one range of the primary key that holds its events and no other's
                    SELECT e.ts, e.key, e.rule_name, e.allowed, e.shadow, e.path, e.user_agent, e.upstream_status,
                           e.upstream_latency_us
                      FROM taken, LATERAL (SELECT * FROM %1$sevents WHERE id BETWEEN first_id AND last_id) e
                ), %2$s
                SELECT (SELECT count(*) FROM chosen), (SELECT count(*) FROM taken)
                """.formatted(s, rollups(s, "folded", ""));
        newestUnfolded = "SELECT max(batch) FROM %1$sunfolded".formatted(s);
        // $1 how far the offenders' day rows are due to reach (a day's start): they are moved on past one hour with
        // hour rows at most (and any stretch without before it), adding that hour's rows into its day's rows, so that
        // a busy day is added up in short transactions; answers how far they reach now (no row when the schema has
        // lost offender_days, and then the day rows are never read)
        reachOffenderDays = """
                WITH reach AS (
                    SELECT days_before_ms AS old, least($1::bigint, coalesce(first_hour + %3$d, $1)) AS new
                      FROM (SELECT days_before_ms,
                                   (SELECT min(bucket_ms) FROM %1$srollup_offender_counts
                                     WHERE width_ms = %3$d AND bucket_ms >= days_before_ms) AS first_hour
                              FROM %1$soffender_days) d
                ), moved AS (
                    UPDATE %1$soffender_days SET days_before_ms = reach.new FROM reach WHERE reach.new > reach.old
                ), added AS (
                    INSERT INTO %1$srollup_offender_counts AS r (width_ms, bucket_ms, key, blocked, shadow_blocked)
                    SELECT %4$d, %2$s AS day, t.key, sum(t.blocked)::bigint, sum(t.shadow_blocked)::bigint
                      FROM reach CROSS JOIN %1$srollup_offender_counts t
                     WHERE t.width_ms = %3$d AND t.bucket_ms >= reach.old AND t.bucket_ms < reach.new
                     GROUP BY day, t.key HAVING sum(t.blocked) <> 0 OR sum(t.shadow_blocked) <> 0
                     ORDER BY day, t.key
                    ON CONFLICT (width_ms, bucket_ms, key) DO UPDATE
                       SET blocked = r.blocked + excluded.blocked, shadow_blocked = r.shadow_blocked + excluded.shadow_blocked
                )
                SELECT greatest(old, new) FROM reach
                """.formatted(s, floor("t.bucket_ms", Long.toString(DAY)), HOUR, DAY);
        foldLockKey = "tollgate.fold." + schema;
        // one fold or deletion at a time, each seeing what the one before it did (see PostgresEventStore#foldUpTo)
        foldLock = "SELECT pg_advisory_xact_lock(hashtext($1))";
        // the events still waiting for a fold were never added to the rollups: only the others are taken away
        delete = """
                WITH doomed AS (
                    DELETE FROM %1$sevents
                     WHERE id IN (SELECT id FROM %1$sevents WHERE ts < $1 ORDER BY ts LIMIT $2)
                    RETURNING id, ts, key, rule_name, allowed, shadow, path, user_agent, upstream_status,
                              upstream_latency_us
                ), counted AS (
                    SELECT * FROM doomed WHERE id NOT IN (SELECT generate_series(first_id, last_id) FROM %1$sunfolded)
                ), %2$s
                SELECT count(*) FROM doomed
                """.formatted(s, rollups(s, "counted", "-"));
        rulesLockKey = "tollgate.dashboard_rules." + schema;
        lockRules = "SELECT pg_advisory_xact_lock(hashtext($1))";
        storedRules = "SELECT name, config, version, updated_ms, updated_by FROM %1$sdashboard_rules ORDER BY name"
                .formatted(s);
        // $1 name, $2 config, $3 when, $4 who, $5 the most rules, $6 action, $7 how many changes to keep: the rule
        // and its change in one statement; 0 when the rule exists or the store is full, and then nothing is written
        createRule = """
                WITH created AS (
                    INSERT INTO %1$sdashboard_rules (name, config, version, updated_ms, updated_by)
                    SELECT $1, $2, 1, $3, $4
                     WHERE (SELECT count(*) FROM %1$sdashboard_rules) < $5
                    ON CONFLICT (name) DO NOTHING
                    RETURNING name
                ), added AS (
                    INSERT INTO %1$sdashboard_rule_changes (at_ms, who, action, rule_name, before, after)
                    SELECT $3, $4, $6, name, NULL, $2 FROM created
                    RETURNING id
                ), trimmed AS (
                    DELETE FROM %1$sdashboard_rule_changes WHERE id <= (SELECT id FROM added) - $7
                )
                SELECT count(*) FROM created
                """.formatted(s);
        ruleVersion = "SELECT version FROM %1$sdashboard_rules WHERE name = $1".formatted(s);
        lockRule = "SELECT version, config FROM %1$sdashboard_rules WHERE name = $1 FOR UPDATE".formatted(s);
        // $1 name, $2 config, $3 when, $4 who, $5 the expected version
        updateRule = """
                UPDATE %1$sdashboard_rules SET config = $2, version = version + 1, updated_ms = $3, updated_by = $4
                 WHERE name = $1 AND version = $5
                RETURNING version
                """.formatted(s);
        deleteRule = "DELETE FROM %1$sdashboard_rules WHERE name = $1 AND version = $2".formatted(s);
        // $1 when, $2 who, $3 action, $4 rule, $5 before, $6 after, $7 how many changes to keep
        recordRuleChange = """
                WITH added AS (
                    INSERT INTO %1$sdashboard_rule_changes (at_ms, who, action, rule_name, before, after)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    RETURNING id
                )
                DELETE FROM %1$sdashboard_rule_changes WHERE id <= (SELECT id FROM added) - $7
                """.formatted(s);
        ruleChanges = """
                SELECT id, at_ms, who, action, rule_name, before, after
                  FROM %1$sdashboard_rule_changes
                 ORDER BY id DESC
                 LIMIT $1
                """.formatted(s);
        recordAlerted = """
                INSERT INTO %1$salert_marks (kind, key, alerted_ms)
                SELECT $1, k, $3 FROM unnest($2::varchar[]) AS k
                ON CONFLICT (kind, key) DO UPDATE SET alerted_ms = GREATEST(alert_marks.alerted_ms, EXCLUDED.alerted_ms)
                """.formatted(s);
        alertedSince = "SELECT key, alerted_ms FROM %1$salert_marks WHERE kind = $1 AND alerted_ms >= $2".formatted(s);
        dropOldAlertMarks = "DELETE FROM %1$salert_marks WHERE alerted_ms < $1".formatted(s);
        // $1 quota, $2 key, $3 period start, $4 period end, $5 cost, $6 limit: no row answered is a refusal
        takeQuota = """
                INSERT INTO %1$squota_counts AS q (quota, client_key, period_start, period_end, count)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (quota, client_key, period_start)
                DO UPDATE SET count = q.count + EXCLUDED.count
                 WHERE q.count + EXCLUDED.count <= $6
                RETURNING count
                """.formatted(s);
        quotaCount = "SELECT count FROM %1$squota_counts WHERE quota = $1 AND client_key = $2 AND period_start = $3"
                .formatted(s);
        forgetQuota =
                "DELETE FROM %1$squota_counts WHERE quota = $1 AND client_key = $2 AND period_start = $3".formatted(s);
        dropEndedQuotas = "DELETE FROM %1$squota_counts WHERE period_end <= $1".formatted(s);
        // a rolling quota's counts: a row per day (period_start the day's start, period_end when it leaves the window);
        // an acquisition holds the advisory lock of its schema, quota and key for its transaction, so that its sum of
        // the days and its addition are one step for every node
        quotaLockPrefix = "tollgate.quota_counts." + schema + "|";
        lockQuotaKey = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
        quotaDays = ("SELECT period_start, count FROM %1$squota_counts"
                        + " WHERE quota = $1 AND client_key = $2 AND period_start >= $3")
                .formatted(s);
        addQuotaDay = """
                INSERT INTO %1$squota_counts AS q (quota, client_key, period_start, period_end, count)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (quota, client_key, period_start)
                DO UPDATE SET count = q.count + EXCLUDED.count
                """.formatted(s);
        forgetQuotaDays = "DELETE FROM %1$squota_counts WHERE quota = $1 AND client_key = $2".formatted(s);
        dropOldBatches = ("DELETE FROM %1$sstored_batches WHERE stored_ms < $1"
                        + " AND (newest_event_ms IS NULL OR newest_event_ms < $1)")
                .formatted(s);
        // the shards of buckets before $1 added into shard 0: DELETE ... RETURNING hands over each row as it is
        // when deleted, so counts that a late append adds meanwhile move with it or stay in a row of their own
        settleShards = """
                WITH totals_moved AS (
                    DELETE FROM %1$srollup_totals WHERE bucket_ms < $1 AND shard <> 0
                    RETURNING width_ms, bucket_ms, allowed, blocked, shadow_blocked
                ), totals AS (
                    INSERT INTO %1$srollup_totals AS r (width_ms, bucket_ms, shard, allowed, blocked, shadow_blocked,
                                                        stamp)
                    SELECT width_ms, bucket_ms, 0, sum(allowed), sum(blocked), sum(shadow_blocked), %2$s
                      FROM totals_moved GROUP BY width_ms, bucket_ms ORDER BY width_ms, bucket_ms
                    ON CONFLICT (width_ms, bucket_ms, shard) DO UPDATE
                       SET allowed = r.allowed + excluded.allowed, blocked = r.blocked + excluded.blocked,
                           shadow_blocked = r.shadow_blocked + excluded.shadow_blocked, stamp = excluded.stamp
                ), upstream_moved AS (
                    DELETE FROM %1$srollup_upstream WHERE bucket_ms < $1 AND shard <> 0
                    RETURNING width_ms, bucket_ms, status_class, latency_bucket, served
                ), upstream AS (
                    INSERT INTO %1$srollup_upstream AS r (width_ms, bucket_ms, status_class, latency_bucket, shard,
                                                          served)
                    SELECT width_ms, bucket_ms, status_class, latency_bucket, 0, sum(served)
                      FROM upstream_moved GROUP BY width_ms, bucket_ms, status_class, latency_bucket
                     ORDER BY width_ms, bucket_ms, status_class, latency_bucket
                    ON CONFLICT (width_ms, bucket_ms, status_class, latency_bucket, shard) DO UPDATE
                       SET served = r.served + excluded.served
                ), rules_moved AS (
                    DELETE FROM %1$srollup_rules WHERE bucket_ms < $1 AND shard <> 0
                    RETURNING width_ms, bucket_ms, rule_name, hits, blocked, shadow_blocked
                )
                INSERT INTO %1$srollup_rules AS r (width_ms, bucket_ms, rule_name, shard, hits, blocked, shadow_blocked)
                SELECT width_ms, bucket_ms, rule_name, 0, sum(hits), sum(blocked), sum(shadow_blocked)
                  FROM rules_moved GROUP BY width_ms, bucket_ms, rule_name ORDER BY width_ms, bucket_ms, rule_name
                ON CONFLICT (width_ms, bucket_ms, rule_name, shard) DO UPDATE
                   SET hits = r.hits + excluded.hits, blocked = r.blocked + excluded.blocked,
                       shadow_blocked = r.shadow_blocked + excluded.shadow_blocked
                """.formatted(s, stamp(s, "width_ms", "0"));
        dropEmptyRollups = """
                WITH totals AS (
                    DELETE FROM %1$srollup_totals
                     WHERE bucket_ms < $1 AND shard = 0 AND allowed = 0 AND blocked = 0 AND shadow_blocked = 0
                ), rules AS (
                    DELETE FROM %1$srollup_rules
                     WHERE bucket_ms < $1 AND shard = 0 AND hits = 0 AND blocked = 0 AND shadow_blocked = 0
                ), upstream AS (
                    DELETE FROM %1$srollup_upstream WHERE bucket_ms < $1 AND shard = 0 AND served = 0
                ), blocked_values AS (
                    DELETE FROM %1$srollup_blocked_values WHERE bucket_ms < $1 AND blocked = 0
                ), overflow AS (
                    -- a bucket wholly before the cutoff whose events are gone holds nothing to count any more
                    DELETE FROM %1$srollup_value_overflow o
                     WHERE o.bucket_ms + o.width_ms <= $1
                       AND NOT EXISTS (SELECT 1 FROM %1$sevents e
                                        WHERE e.ts >= o.bucket_ms AND e.ts < o.bucket_ms + o.width_ms)
                )
                DELETE FROM %1$srollup_offender_counts WHERE bucket_ms < $1 AND blocked = 0 AND shadow_blocked = 0
                """.formatted(s);
        // Each span is looked up on its own through a LATERAL subquery that the planner cannot flatten (an
        // aggregate, or OFFSET 0): joined plainly, a generic plan may hash the spans on their few widths and
        // test every rollup row against every span.
        // $1..$4 the rollup spans (width, from, to, target); $5..$7 the exact spans (from, to, target)
        totals = """
                SELECT target, coalesce(sum(allowed), 0)::bigint, coalesce(sum(blocked), 0)::bigint,
                       coalesce(sum(shadow_blocked), 0)::bigint FROM (
                    SELECT r.target, x.allowed, x.blocked, x.shadow_blocked
                      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[]) AS r(width, lo, hi, target)
                     CROSS JOIN LATERAL (
                           SELECT sum(t.allowed) AS allowed, sum(t.blocked) AS blocked,
                                  sum(t.shadow_blocked) AS shadow_blocked FROM %1$srollup_totals t
                            WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi) x
                    UNION ALL
                    SELECT r.target, x.allowed, x.blocked, x.shadow_blocked
                      FROM unnest($5::bigint[], $6::bigint[], $7::int[]) AS r(lo, hi, target)
                     CROSS JOIN LATERAL (
                           SELECT count(*) FILTER (WHERE e.allowed AND NOT e.shadow) AS allowed,
                                  count(*) FILTER (WHERE NOT e.allowed) AS blocked,
                                  count(*) FILTER (WHERE e.allowed AND e.shadow) AS shadow_blocked
                             FROM %1$sevents e WHERE e.ts >= r.lo AND e.ts < r.hi) x
                ) parts
                GROUP BY target
                """.formatted(s);
        blocked = new Ranking(s, "blocked", "e.allowed = false");
        shadowBlocked = new Ranking(s, "shadow_blocked", "e.allowed AND e.shadow");
        ruleHits = """
                SELECT rule_name, sum(hits)::bigint AS hits, sum(blocked)::bigint AS blocked,
                       sum(shadow_blocked)::bigint AS shadow_blocked FROM (
                    SELECT x.rule_name, x.hits, x.blocked, x.shadow_blocked
                      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS r(width, lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT t.rule_name, t.hits, t.blocked, t.shadow_blocked FROM %1$srollup_rules t
                            WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi OFFSET 0) x
                    UNION ALL
                    SELECT x.rule_name, x.hits, x.blocked, x.shadow_blocked
                      FROM unnest($4::bigint[], $5::bigint[]) AS r(lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT e.rule_name, count(*) AS hits, count(*) FILTER (WHERE NOT e.allowed) AS blocked,
                                  count(*) FILTER (WHERE e.allowed AND e.shadow) AS shadow_blocked
                             FROM %1$sevents e
                            WHERE e.ts >= r.lo AND e.ts < r.hi AND e.rule_name <> '' GROUP BY e.rule_name) x
                ) parts
                GROUP BY rule_name HAVING sum(hits) > 0
                ORDER BY 2 DESC, rule_name
                LIMIT $6
                """.formatted(s);
        // $1 key, $2 window start, $3 how many recent events; part 0 the counts, 1 the paths, 2 the events
        offenderDetail = """
                (SELECT 0 AS part, min(ts) AS ts, max(ts) AS n0, NULL AS path, NULL AS method, NULL::boolean AS allowed,
                        NULL::boolean AS shadow, count(*) FILTER (WHERE allowed AND NOT shadow) AS n1,
                        count(*) FILTER (WHERE NOT allowed) AS n2, count(*) FILTER (WHERE allowed AND shadow) AS n3,
                        NULL AS rule_name
                   FROM %1$sevents WHERE key = $1 AND ts >= $2)
                UNION ALL
                (SELECT 1, NULL, NULL, path, NULL, NULL, NULL, count(*), NULL, NULL, NULL
                   FROM %1$sevents WHERE key = $1 AND ts >= $2 AND allowed = false
                  GROUP BY path ORDER BY count(*) DESC, path LIMIT %2$d)
                UNION ALL
                (SELECT 2, ts, id, path, method, allowed, shadow, count, "limit", NULL, rule_name
                   FROM %1$sevents WHERE key = $1 AND ts >= $2
                  ORDER BY ts DESC, id DESC LIMIT $3)
                """.formatted(s, OffenderDetail.MAX_PATHS);
        events = "SELECT id, " + COLUMNS + " FROM " + s + "events";
    }

    /** The listing of raw events, filtered by {@code where} (may be empty), newest first, {@code limit} rows. */
    String events(String where, int limitParameter) {
        return events + (where.isEmpty() ? "" : " WHERE " + where) + " ORDER BY ts DESC, id DESC LIMIT $"
                + limitParameter;
    }

    /** The first millisecond of the bucket of {@code width} holding {@code column}, also before 1970. */
    static String floor(String column, String width) {
        return "(" + column + " - ((" + column + " % " + width + ") + " + width + ") % " + width + ")";
    }

    /**
     * The inserts that store the events of the relation {@code input} (the columns and {@code ord}, their place from 1)
     * and list them for a fold: their ids in blocks of {@value #ID_BLOCK} consecutive ids, one {@code nextval} of the
     * events' identity sequence per block (it steps by as many, V12), so that each block's events are one range of
     * ids no other append shares, in the order of the input; and a row of {@code unfolded} per block.
     */
    private static String stored(String s) {
        return """
                blocks AS (
                    SELECT n - 1 AS block, nextval(pg_get_serial_sequence('%1$sevents', 'id')) AS first_id
                      FROM generate_series(1, (SELECT (count(*) + %3$d) / %4$d FROM input)) AS n
                ), stored AS (
                    INSERT INTO %1$sevents (id, %2$s) OVERRIDING SYSTEM VALUE
                    SELECT first_id + (ord - 1) %% %4$d, %2$s
                      FROM input JOIN blocks ON block = (ord - 1) / %4$d
                ), listed AS (
                    INSERT INTO %1$sunfolded (events, first_id, last_id)
                    SELECT events, first_id, first_id + events - 1
                      FROM (SELECT first_id, least(%4$d, (SELECT count(*) FROM input) - block * %4$d) AS events
                              FROM blocks) b
                )""".formatted(s, COLUMNS, ID_BLOCK - 1, ID_BLOCK);
    }

    /**
     * The rollup upserts that add the events of the relation {@code source} ({@code ts, key, rule_name, allowed,
     * shadow, path, user_agent, upstream_status, upstream_latency_us}) to the rollups, {@code sign} "-" to take them
     * away. Totals, rules and upstream answers go to the shard of the statement's transaction; rows are upserted in
     * key order, so that concurrent statements lock them in the same order. A blocked path or user agent new to a
     * bucket that holds {@link PanelSql#VALUES_PER_BUCKET} of its kind marks the bucket as overflowed instead; a
     * deletion takes away only from the rows there are (the others' buckets overflowed).
     */
    private static String rollups(String s, String source, String sign) {
        // each rollup first counts the events at its finest width, then adds those counts up at every width (the
        // widths are multiples of one another): a few rows per width instead of one per event and width
        String bucket = floor("fine", "w.width");
        return """
                totals_fine AS (
                    SELECT %3$s AS fine, count(*) FILTER (WHERE allowed AND NOT shadow) AS allowed,
                           count(*) FILTER (WHERE NOT allowed) AS blocked,
                           count(*) FILTER (WHERE allowed AND shadow) AS shadow_blocked
                      FROM %6$s GROUP BY fine
                ), totals AS (
                    INSERT INTO %1$srollup_totals AS r (width_ms, bucket_ms, shard, allowed, blocked, shadow_blocked,
                                                        stamp)
                    SELECT w.width, %16$s AS bucket, %4$s, %2$ssum(allowed)::bigint, %2$ssum(blocked)::bigint,
                           %2$ssum(shadow_blocked)::bigint, %5$s
                      FROM totals_fine CROSS JOIN %7$s
                     GROUP BY w.width, bucket ORDER BY w.width, bucket
                    ON CONFLICT (width_ms, bucket_ms, shard) DO UPDATE
                       SET allowed = r.allowed + excluded.allowed, blocked = r.blocked + excluded.blocked,
                           shadow_blocked = r.shadow_blocked + excluded.shadow_blocked, stamp = excluded.stamp
                ), rules_fine AS (
                    SELECT %17$s AS fine, rule_name, count(*) AS hits, count(*) FILTER (WHERE NOT allowed) AS blocked,
                           count(*) FILTER (WHERE allowed AND shadow) AS shadow_blocked
                      FROM %6$s WHERE rule_name <> '' GROUP BY fine, rule_name
                ), rules AS (
                    INSERT INTO %1$srollup_rules AS r (width_ms, bucket_ms, rule_name, shard, hits, blocked,
                                                       shadow_blocked)
                    SELECT w.width, %16$s AS bucket, rule_name, %4$s, %2$ssum(hits)::bigint, %2$ssum(blocked)::bigint,
                           %2$ssum(shadow_blocked)::bigint
                      FROM rules_fine CROSS JOIN %8$s
                     GROUP BY w.width, bucket, rule_name ORDER BY w.width, bucket, rule_name
                    ON CONFLICT (width_ms, bucket_ms, rule_name, shard) DO UPDATE
                       SET hits = r.hits + excluded.hits, blocked = r.blocked + excluded.blocked,
                           shadow_blocked = r.shadow_blocked + excluded.shadow_blocked
                ), offenders_fine AS (
                    SELECT %18$s AS fine, key, count(*) FILTER (WHERE NOT allowed) AS blocked,
                           count(*) FILTER (WHERE allowed AND shadow) AS shadow_blocked
                      FROM %6$s WHERE NOT allowed OR shadow GROUP BY fine, key
                ), offenders AS (
                    -- the day rows only for the days they reach (V13); moving their reach on adds the rest
                    INSERT INTO %1$srollup_offender_counts AS r (width_ms, bucket_ms, key, blocked, shadow_blocked)
                    SELECT w.width, %16$s AS bucket, key, %2$ssum(blocked)::bigint, %2$ssum(shadow_blocked)::bigint
                      FROM offenders_fine CROSS JOIN %9$s
                     WHERE w.width <> %19$d OR fine < (SELECT days_before_ms FROM %1$soffender_days)
                     GROUP BY w.width, bucket, key ORDER BY w.width, bucket, key
                    ON CONFLICT (width_ms, bucket_ms, key) DO UPDATE
                       SET blocked = r.blocked + excluded.blocked, shadow_blocked = r.shadow_blocked + excluded.shadow_blocked
                ), upstream_fine AS (
                    SELECT %17$s AS fine, upstream_status / 100 AS class, %10$s AS latency, count(*) AS served
                      FROM %6$s WHERE allowed AND upstream_status IS NOT NULL GROUP BY fine, class, latency
                ), upstream AS (
                    INSERT INTO %1$srollup_upstream AS r (width_ms, bucket_ms, status_class, latency_bucket, shard,
                                                          served)
                    SELECT w.width, %16$s AS bucket, class, latency, %4$s, %2$ssum(served)::bigint
                      FROM upstream_fine CROSS JOIN %11$s
                     GROUP BY w.width, bucket, class, latency ORDER BY w.width, bucket, class, latency
                    ON CONFLICT (width_ms, bucket_ms, status_class, latency_bucket, shard) DO UPDATE
                       SET served = r.served + excluded.served
                ), blocked_values_fine AS (
                    SELECT v.kind, %18$s AS fine, v.value, count(*) AS n
                      FROM %6$s
                     CROSS JOIN LATERAL (VALUES (%13$d::smallint, path::text COLLATE "C"),
                                                (%14$d::smallint, user_agent::text COLLATE "C")) AS v(kind, value)
                     WHERE NOT allowed AND v.value IS NOT NULL
                     GROUP BY v.kind, fine, v.value
                ), blocked_values_in AS (
                    SELECT kind, w.width, %16$s AS bucket, value, sum(n)::bigint AS n
                      FROM blocked_values_fine CROSS JOIN %12$s
                     GROUP BY kind, w.width, bucket, value
                ), blocked_values_known AS (
                    SELECT i.*, EXISTS (SELECT 1 FROM %1$srollup_blocked_values t
                                         WHERE t.kind = i.kind AND t.width_ms = i.width AND t.bucket_ms = i.bucket
                                           AND t.value = i.value) AS known
                      FROM blocked_values_in i
                ), blocked_values_fit AS (
                    -- a value new to its bucket is kept while the bucket has room, the most blocked first
                    SELECT k.*, k.known OR ('%2$s' = '' AND (
                               SELECT count(*) FROM (SELECT 1 FROM %1$srollup_blocked_values t
                                                      WHERE t.kind = k.kind AND t.width_ms = k.width
                                                        AND t.bucket_ms = k.bucket LIMIT %15$d) held)
                               + row_number() OVER (PARTITION BY k.kind, k.width, k.bucket, k.known
                                                        ORDER BY k.n DESC, k.value) <= %15$d) AS fits
                      FROM blocked_values_known k
                ), blocked_values AS (
                    INSERT INTO %1$srollup_blocked_values AS r (kind, width_ms, bucket_ms, value, blocked)
                    SELECT kind, width, bucket, value, %2$sn FROM blocked_values_fit WHERE fits
                     ORDER BY kind, width, bucket, value
                    ON CONFLICT (kind, width_ms, bucket_ms, value) DO UPDATE SET blocked = r.blocked + excluded.blocked
                ), value_overflow AS (
                    INSERT INTO %1$srollup_value_overflow (kind, width_ms, bucket_ms)
                    SELECT DISTINCT kind, width, bucket FROM blocked_values_fit WHERE NOT fits
                     ORDER BY kind, width, bucket
                    ON CONFLICT (kind, width_ms, bucket_ms) DO NOTHING
                )""".formatted(
                        s,
                        sign,
                        floor("ts", Long.toString(SECOND)),
                        SHARD,
                        stamp(s, "w.width", "0"),
                        source,
                        widths(TOTAL_WIDTHS),
                        widths(RULE_WIDTHS),
                        widths(OFFENDER_WIDTHS),
                        PanelSql.latencyBucket("upstream_latency_us"),
                        widths(PanelSql.UPSTREAM_WIDTHS),
                        widths(PanelSql.VALUE_WIDTHS),
                        PanelSql.PATHS,
                        PanelSql.USER_AGENTS,
                        PanelSql.VALUES_PER_BUCKET,
                        bucket,
                        floor("ts", Long.toString(MINUTE)),
                        floor("ts", Long.toString(HOUR)),
                        DAY);
    }

    /**
     * The statements of one offender ranking: {@code top} ranks a window outright, {@code parts} feeds
     * {@link OffenderRanking}, which keeps the settled part of the window between calls.
     *
     * @param top   $1..$3 the rollup spans (width, from, to); $4, $5 the exact spans (from, to); $6 limit
     * @param parts part 0: the stamps of the hours in [$1, $2), one row per hour; parts 1, 2 and 3: the counted events
     *              per key and span over three sets of spans, each given as five parameters like those of
     *              {@code top} (a key comes once per span: the caller adds them up, cheaper than a hash aggregate of
     *              text keys here)
     */
    record Ranking(String top, String parts) {

        /**
         * The ranking of the events that {@code counted} (a condition on the events {@code e}) selects, whose counts
         * per key {@code rollup_offender_counts} keeps in {@code column}.
         */
        Ranking(String s, String column, String counted) {
            this("""
                    SELECT key, counted FROM (%1$s) counted
                     WHERE counted > 0
                     ORDER BY counted DESC, key
                     LIMIT $6
                    """.formatted(countedByKey(s, column, counted, 1)), """
                    SELECT 0 AS part, NULL::text COLLATE "C" AS key, bucket_ms AS hour, count(*) AS n,
                           sum(stamp)::bigint AS stamps
                      FROM %1$srollup_totals
                     WHERE width_ms = %2$d AND bucket_ms >= $1 AND bucket_ms < $2
                     GROUP BY bucket_ms
                    UNION ALL
                    SELECT 1, key, NULL, counted, NULL FROM (%3$s) subtracted
                    UNION ALL
                    SELECT 2, key, NULL, counted, NULL FROM (%4$s) added
                    UNION ALL
                    SELECT 3, key, NULL, counted, NULL FROM (%5$s) fresh
                    """.formatted(
                            s,
                            HOUR,
                            countedSpans(s, column, counted, 3),
                            countedSpans(s, column, counted, 8),
                            countedSpans(s, column, counted, 13)));
        }
    }

    /**
     * The counted events per key ({@code key, counted}) over a set of spans given as five parameters from
     * {@code $first}: the rollup spans' widths, starts and ends, then the exact spans' starts and ends.
     */
    private static String countedByKey(String s, String column, String counted, int first) {
        return "SELECT key, sum(counted)::bigint AS counted FROM (" + countedSpans(s, column, counted, first)
                + ") spans GROUP BY key";
    }

    /** Like {@link #countedByKey}, but one row per key and span: a key counted in several spans comes once for each. */
    private static String countedSpans(String s, String column, String counted, int first) {
        return """
                SELECT x.key, x.counted
                  FROM unnest($%2$d::bigint[], $%3$d::bigint[], $%4$d::bigint[]) AS r(width, lo, hi)
                 CROSS JOIN LATERAL (
                       SELECT t.key, t.%7$s AS counted FROM %1$srollup_offender_counts t
                        WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi AND t.%7$s <> 0
                       OFFSET 0) x
                UNION ALL
                SELECT x.key, x.counted
                  FROM unnest($%5$d::bigint[], $%6$d::bigint[]) AS r(lo, hi)
                 CROSS JOIN LATERAL (
                       SELECT e.key, count(*) AS counted FROM %1$sevents e
                        WHERE %8$s AND e.ts >= r.lo AND e.ts < r.hi GROUP BY e.key) x
                """.formatted(s, first, first + 1, first + 2, first + 3, first + 4, column, counted);
    }

    /** A fresh stamp for a row of {@code rollup_totals} an hour wide, {@code otherwise} for the other widths. */
    private static String stamp(String s, String width, String otherwise) {
        return "CASE WHEN " + width + " = " + HOUR + " THEN nextval('" + s + "rollup_stamps') ELSE " + otherwise
                + " END";
    }

    /** The widths as a one-column relation {@code w(width)} to cross-join events with. */
    private static String widths(long[] widths) {
        return Arrays.stream(widths)
                .mapToObj(width -> "(" + width + "::bigint)")
                .collect(Collectors.joining(", ", "(VALUES ", ") AS w(width)"));
    }
}
