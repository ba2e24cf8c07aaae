package dev.tollgate.store.postgres;

/**
 * The store's SQL, its tables qualified with the configured schema.
 *
 * <p>Timestamps are epoch milliseconds. Each rollup keeps counts per bucket of {@link #MINUTE} or
 * {@link #HOUR}, its key the bucket's first millisecond; a query adds the rollup buckets that lie wholly
 * inside the window to an exact scan of the events in the part of a bucket the window only cuts. Appends
 * and deletions change the events and the rollups in one statement, so the two always agree.
 */
final class StoreSql {

    /** The width of the summary, time-series and rule rollup buckets, in milliseconds. */
    static final long MINUTE = 60_000;
    /** The width of the offender rollup buckets, in milliseconds. */
    static final long HOUR = 3_600_000;

    private static final String COLUMNS =
            "ts, key, rule_name, path, method, allowed, count, \"limit\", ip_address, user_id, shadow";

    final String append;
    final String delete;
    final String dropEmptyRollups;
    final String summary;
    final String topOffenders;
    final String ruleHits;
    final String timeSeries;
    final String offenderDetail;
    private final String events;

    StoreSql(String schema) {
        String s = "\"" + schema + "\".";
        append = """
                WITH input AS (
                    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                                         $6::boolean[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],
                                         $11::boolean[])
                        WITH ORDINALITY AS t(%1$s, ord)
                ), stored AS (
                    INSERT INTO %2$sevents (%1$s)
                    SELECT %1$s FROM input ORDER BY ord
                ), minutes AS (
                    INSERT INTO %2$srollup_minute AS r (bucket_ms, allowed, blocked)
                    SELECT %3$s AS bucket, count(*) FILTER (WHERE allowed), count(*) FILTER (WHERE NOT allowed)
                      FROM input GROUP BY bucket ORDER BY bucket
                    ON CONFLICT (bucket_ms) DO UPDATE
                       SET allowed = r.allowed + excluded.allowed, blocked = r.blocked + excluded.blocked
                ), rules AS (
                    INSERT INTO %2$srollup_rule_minute AS r (bucket_ms, rule_name, hits, blocked)
                    SELECT %3$s AS bucket, rule_name, count(*), count(*) FILTER (WHERE NOT allowed)
                      FROM input WHERE rule_name <> '' GROUP BY bucket, rule_name ORDER BY bucket, rule_name
                    ON CONFLICT (bucket_ms, rule_name) DO UPDATE
                       SET hits = r.hits + excluded.hits, blocked = r.blocked + excluded.blocked
                ), offenders AS (
                    INSERT INTO %2$srollup_offender_hour AS r (bucket_ms, key, blocked)
                    SELECT %4$s AS bucket, key, count(*)
                      FROM input WHERE NOT allowed GROUP BY bucket, key ORDER BY bucket, key
                    ON CONFLICT (bucket_ms, key) DO UPDATE SET blocked = r.blocked + excluded.blocked
                )
                SELECT count(*) FROM input
                """.formatted(COLUMNS, s, floor("ts", MINUTE), floor("ts", HOUR));
        delete = """
                WITH doomed AS (
                    DELETE FROM %1$sevents
                     WHERE id IN (SELECT id FROM %1$sevents WHERE ts < $1 ORDER BY ts LIMIT $2)
                    RETURNING ts, key, rule_name, allowed
                ), minutes AS (
                    UPDATE %1$srollup_minute r SET allowed = r.allowed - d.allowed, blocked = r.blocked - d.blocked
                      FROM (SELECT %2$s AS bucket, count(*) FILTER (WHERE allowed) AS allowed,
                                   count(*) FILTER (WHERE NOT allowed) AS blocked
                              FROM doomed GROUP BY bucket) d
                     WHERE r.bucket_ms = d.bucket
                ), rules AS (
                    UPDATE %1$srollup_rule_minute r SET hits = r.hits - d.hits, blocked = r.blocked - d.blocked
                      FROM (SELECT %2$s AS bucket, rule_name, count(*) AS hits,
                                   count(*) FILTER (WHERE NOT allowed) AS blocked
                              FROM doomed WHERE rule_name <> '' GROUP BY bucket, rule_name) d
                     WHERE r.bucket_ms = d.bucket AND r.rule_name = d.rule_name
                ), offenders AS (
                    UPDATE %1$srollup_offender_hour r SET blocked = r.blocked - d.blocked
                      FROM (SELECT %3$s AS bucket, key, count(*) AS blocked
                              FROM doomed WHERE NOT allowed GROUP BY bucket, key) d
                     WHERE r.bucket_ms = d.bucket AND r.key = d.key
                )
                SELECT count(*) FROM doomed
                """.formatted(s, floor("ts", MINUTE), floor("ts", HOUR));
        dropEmptyRollups = """
                WITH minutes AS (
                    DELETE FROM %1$srollup_minute WHERE bucket_ms < $1 AND allowed = 0 AND blocked = 0
                ), rules AS (
                    DELETE FROM %1$srollup_rule_minute WHERE bucket_ms < $1 AND hits = 0
                )
                DELETE FROM %1$srollup_offender_hour WHERE bucket_ms < $1 AND blocked = 0
                """.formatted(s);
        // $1 window start, $2 the first whole minute in the window
        summary = """
                SELECT coalesce(sum(allowed), 0)::bigint, coalesce(sum(blocked), 0)::bigint FROM (
                    SELECT allowed, blocked FROM %1$srollup_minute WHERE bucket_ms >= $2
                    UNION ALL
                    SELECT count(*) FILTER (WHERE allowed), count(*) FILTER (WHERE NOT allowed)
                      FROM %1$sevents WHERE ts >= $1 AND ts < $2
                ) parts
                """.formatted(s);
        // $1 window start, $2 the first whole hour in the window, $3 limit
        topOffenders = """
                SELECT key, sum(blocked)::bigint AS blocked FROM (
                    SELECT key, blocked FROM %1$srollup_offender_hour WHERE bucket_ms >= $2
                    UNION ALL
                    SELECT key, 1 FROM %1$sevents WHERE allowed = false AND ts >= $1 AND ts < $2
                ) parts
                GROUP BY key HAVING sum(blocked) > 0
                ORDER BY 2 DESC, key
                LIMIT $3
                """.formatted(s);
        // $1 window start, $2 the first whole minute in the window, $3 limit
        ruleHits = """
                SELECT rule_name, sum(hits)::bigint AS hits, sum(blocked)::bigint AS blocked FROM (
                    SELECT rule_name, hits, blocked FROM %1$srollup_rule_minute WHERE bucket_ms >= $2
                    UNION ALL
                    SELECT rule_name, 1, CASE WHEN allowed THEN 0 ELSE 1 END
                      FROM %1$sevents WHERE ts >= $1 AND ts < $2 AND rule_name <> ''
                ) parts
                GROUP BY rule_name HAVING sum(hits) > 0
                ORDER BY 2 DESC, rule_name
                LIMIT $3
                """.formatted(s);
        // $1 the first whole minute in the window; $2, $3 the ranges scanned exactly ([lo, hi));
        // $4 the series' end (now), $5 the bucket width, $6 the number of buckets
        String bucketOfMinute = bucketIndex("bucket_ms");
        timeSeries = """
                SELECT k, sum(allowed)::bigint, sum(blocked)::bigint FROM (
                    SELECT %2$s AS k, allowed, blocked FROM %1$srollup_minute
                     WHERE bucket_ms >= $1 AND %2$s = %3$s
                    UNION ALL
                    SELECT %4$s, CASE WHEN e.allowed THEN 1 ELSE 0 END, CASE WHEN e.allowed THEN 0 ELSE 1 END
                      FROM unnest($2::bigint[], $3::bigint[]) AS r(lo, hi)
                      JOIN %1$sevents e ON e.ts >= r.lo AND e.ts < r.hi
                ) parts
                GROUP BY k
                """.formatted(s, bucketOfMinute, bucketIndex("(bucket_ms + " + (MINUTE - 1) + ")"),
                bucketIndex("e.ts"));
        // $1 key, $2 window start, $3 how many recent events; part 0 the counts, 1 the paths, 2 the events
        offenderDetail = """
                (SELECT 0 AS part, min(ts) AS ts, max(ts) AS n0, NULL AS path, NULL AS method, NULL::boolean AS allowed,
                        count(*) FILTER (WHERE allowed) AS n1, count(*) FILTER (WHERE NOT allowed) AS n2,
                        NULL AS rule_name
                   FROM %1$sevents WHERE key = $1 AND ts >= $2)
                UNION ALL
                (SELECT 1, NULL, NULL, path, NULL, NULL, count(*), NULL, NULL
                   FROM %1$sevents WHERE key = $1 AND ts >= $2 AND allowed = false
                  GROUP BY path ORDER BY count(*) DESC, path LIMIT %2$d)
                UNION ALL
                (SELECT 2, ts, id, path, method, allowed, count, "limit", rule_name
                   FROM %1$sevents WHERE key = $1 AND ts >= $2
                  ORDER BY ts DESC, id DESC LIMIT $3)
                """.formatted(s, dev.tollgate.events.OffenderDetail.MAX_PATHS);
        events = "SELECT id, " + COLUMNS + " FROM " + s + "events";
    }

    /** The listing of raw events, filtered by {@code where} (may be empty), newest first, {@code limit} rows. */
    String events(String where, int limitParameter) {
        return events + (where.isEmpty() ? "" : " WHERE " + where) + " ORDER BY ts DESC, id DESC LIMIT $"
                + limitParameter;
    }

    /** The first millisecond of the bucket of {@code width} holding {@code column}, also before 1970. */
    static String floor(String column, long width) {
        return "(" + column + " - ((" + column + " % " + width + ") + " + width + ") % " + width + ")";
    }

    /**
     * The index of the time-series bucket holding the instant {@code expression}: {@code n − 1 − ⌊(end − 1 − t)
     * / width⌋}, clamped to the oldest bucket below and the newest above (which also takes events after now).
     */
    private static String bucketIndex(String expression) {
        return "GREATEST(0, LEAST($6::bigint - 1, $6::bigint - 1 - ($4::bigint - 1 - " + expression + ") / $5::bigint))";
    }
}
