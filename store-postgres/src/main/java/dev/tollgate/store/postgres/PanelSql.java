package dev.tollgate.store.postgres;

import dev.tollgate.events.LatencyHistogram;

/**
 * The SQL of the dashboard's panel queries over a range, its tables qualified with the configured schema.
 *
 * <p>The rankings of blocked paths and user agents, the upstream statistics and the blocked events per rule add up
 * whole buckets of a rollup over the {@link Spans} of their range and count the edges from the events, as the
 * summary does: {@code rollup_blocked_values} (a day, an hour; buckets with more values than
 * {@link #VALUES_PER_BUCKET} are marked in {@code rollup_value_overflow} and counted from the events),
 * {@code rollup_upstream} (a day, an hour, a minute) and {@code rollup_rules} with {@code rollup_totals}. One key's
 * timeline reads its events through {@code (key, ts, id)}. Every range on the events is bounded on both sides
 * ({@code ts >= $lo AND ts < $hi}, {@link Spans#OPEN} for a range open towards the future): a cached generic plan
 * takes such a range for a narrow one and keeps to the index, where {@code ts >= $1} alone looked like a third of the
 * table and was read by a sequential scan.
 */
final class PanelSql {

    /** The bucket widths of {@code rollup_upstream}, widest first. */
    static final long[] UPSTREAM_WIDTHS = {StoreSql.DAY, StoreSql.HOUR, StoreSql.MINUTE};
    /**
     * The bucket widths of {@code rollup_blocked_values}, widest first: no minutes, as for offenders; the partial hour
     * at each edge is counted from the blocked events through {@code (allowed, ts)}.
     */
    static final long[] VALUE_WIDTHS = {StoreSql.DAY, StoreSql.HOUR};
    /** The most values of one kind that a bucket of {@code rollup_blocked_values} holds. */
    static final int VALUES_PER_BUCKET = 1000;
    /** The kind of {@code rollup_blocked_values} rows counting paths. */
    static final int PATHS = 0;
    /** The kind of {@code rollup_blocked_values} rows counting user agents. */
    static final int USER_AGENTS = 1;

    /** $1..$3 the rollup spans, $4, $5 the exact spans, $6 the limit: {@code value, n}. */
    final String blockedPaths;
    /** $1..$3 the rollup spans, $4, $5 the exact spans, $6 the limit: {@code value, n}. */
    final String blockedUserAgents;
    /** $1..$3 the rollup spans, $4, $5 the exact spans: {@code class, bucket, n}; bucket -1 for no latency. */
    final String upstream;
    /**
     * $1..$4 the rollup spans with their targets (the chart's buckets), $5..$7 the exact spans with theirs:
     * {@code target, rule_name, n}, rule {@code ""} for blocked events naming no rule.
     */
    final String blockedByRule;
    /**
     * $1 the range's first millisecond, $2 the bucket width, $3 the number of buckets, $4 the key, $5
     * {@link Spans#OPEN}: {@code i, allowed, blocked, shadow_blocked}.
     */
    final String keyBuckets;
    /** $1 the range's first millisecond, $2 the key, $3 the limit, $4 {@link Spans#OPEN}: {@code value, n}. */
    final String keyUserAgents;

    /** @param s the schema, quoted, with its dot */
    PanelSql(String s) {
        blockedPaths = blockedValues(s, PATHS, "e.path");
        blockedUserAgents = blockedValues(s, USER_AGENTS, "e.user_agent");
        upstream = """
                SELECT class, bucket, sum(n)::bigint AS n FROM (
                    SELECT x.class, x.bucket, x.n
                      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS r(width, lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT t.status_class AS class, t.latency_bucket AS bucket, t.served AS n
                             FROM %1$srollup_upstream t
                            WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi AND t.served <> 0
                           OFFSET 0) x
                    UNION ALL
                    SELECT x.class, x.bucket, x.n
                      FROM unnest($4::bigint[], $5::bigint[]) AS r(lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT e.upstream_status / 100 AS class, %2$s AS bucket, count(*) AS n
                             FROM %1$sevents e
                            WHERE e.allowed AND e.upstream_status IS NOT NULL AND e.ts >= r.lo AND e.ts < r.hi
                            GROUP BY 1, 2) x
                ) parts
                 GROUP BY 1, 2""".formatted(s, latencyBucket("e.upstream_latency_us"));
        blockedByRule = """
                SELECT target, rule_name, sum(n)::bigint AS n FROM (
                    SELECT r.target, x.rule_name, x.n
                      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[]) AS r(width, lo, hi, target)
                     CROSS JOIN LATERAL (
                           -- summed per span, so that the chart's few hundred spans hand on a few rows each; the
                           -- blocked events naming no rule are the span's blocked events less its rules'
                           WITH named AS (
                               SELECT t.rule_name, sum(t.blocked) AS n FROM %1$srollup_rules t
                                WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi
                                GROUP BY t.rule_name)
                           SELECT rule_name, n FROM named
                           UNION ALL
                           SELECT '', (SELECT coalesce(sum(t.blocked), 0) FROM %1$srollup_totals t
                                        WHERE t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi)
                                      - (SELECT coalesce(sum(n), 0) FROM named)) x
                    UNION ALL
                    SELECT r.target, x.rule_name, x.n
                      FROM unnest($5::bigint[], $6::bigint[], $7::int[]) AS r(lo, hi, target)
                     CROSS JOIN LATERAL (
                           SELECT e.rule_name, count(*) AS n FROM %1$sevents e
                            WHERE e.allowed = false AND e.ts >= r.lo AND e.ts < r.hi GROUP BY e.rule_name) x
                ) parts
                 GROUP BY 1, 2""".formatted(s);
        keyBuckets = """
                SELECT least($3::bigint - 1, (ts - $1::bigint) / $2::bigint) AS i,
                       count(*) FILTER (WHERE allowed AND NOT shadow) AS allowed,
                       count(*) FILTER (WHERE NOT allowed) AS blocked,
                       count(*) FILTER (WHERE allowed AND shadow) AS shadow_blocked
                  FROM %1$sevents
                 WHERE key = $4 AND ts >= $1::bigint AND ts < $5::bigint
                 GROUP BY 1""".formatted(s);
        keyUserAgents = """
                SELECT user_agent AS value, count(*) AS n FROM %1$sevents
                 WHERE key = $2 AND ts >= $1::bigint AND ts < $4::bigint AND user_agent IS NOT NULL
                 GROUP BY user_agent ORDER BY n DESC, user_agent LIMIT $3::bigint""".formatted(s);
    }

    /**
     * The ranking of the blocked events' values of {@code kind}, {@code column} of the events {@code e}: the rollup's
     * rows of the whole buckets that did not overflow, the events of those that did and of the edges.
     */
    private static String blockedValues(String s, int kind, String column) {
        return """
                SELECT value, sum(n)::bigint AS n FROM (
                    SELECT x.value, x.n
                      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS r(width, lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT t.value, t.blocked AS n FROM %1$srollup_blocked_values t
                            WHERE t.kind = %2$d AND t.width_ms = r.width AND t.bucket_ms >= r.lo AND t.bucket_ms < r.hi
                              AND t.blocked <> 0
                              AND NOT EXISTS (SELECT 1 FROM %1$srollup_value_overflow o
                                               WHERE o.kind = %2$d AND o.width_ms = t.width_ms
                                                 AND o.bucket_ms = t.bucket_ms)
                           OFFSET 0) x
                    UNION ALL
                    SELECT x.value, x.n
                      FROM (SELECT o.bucket_ms, o.bucket_ms + o.width_ms
                              FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS r(width, lo, hi)
                              JOIN %1$srollup_value_overflow o
                                ON o.kind = %2$d AND o.width_ms = r.width AND o.bucket_ms >= r.lo AND o.bucket_ms < r.hi
                            UNION ALL
                            SELECT lo, hi FROM unnest($4::bigint[], $5::bigint[]) AS spans(lo, hi)) AS r(lo, hi)
                     CROSS JOIN LATERAL (
                           SELECT %3$s::text COLLATE "C" AS value, count(*) AS n FROM %1$sevents e
                            WHERE e.allowed = false AND e.ts >= r.lo AND e.ts < r.hi AND %3$s IS NOT NULL
                            GROUP BY 1) x
                ) parts
                 GROUP BY value ORDER BY n DESC, value LIMIT $6::bigint""".formatted(s, kind, column);
    }

    /**
     * The {@link LatencyHistogram} bucket of the latency in microseconds {@code column}, -1 when it is null: with
     * {@code e = floor(log2 x)} from the position of the highest bit, {@code 16 + (e - 4) * 16 + the next four bits}.
     */
    static String latencyBucket(String column) {
        String e4 = "(60 - position('1' IN " + column + "::bit(64)::text))";
        return "CASE WHEN " + column + " IS NULL THEN -1 WHEN " + column + " < 16 THEN " + column + " ELSE least("
                + (LatencyHistogram.BUCKETS - 1) + ", 16 + " + e4 + " * 16 + ((" + column + " >> " + e4
                + ") & 15)) END";
    }
}
