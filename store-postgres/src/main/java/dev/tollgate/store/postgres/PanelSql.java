package dev.tollgate.store.postgres;

import dev.tollgate.events.LatencyHistogram;

/**
 * The SQL of the dashboard's panel queries over a range, its tables qualified with the configured schema. Each reads
 * the events of the range through an index on {@code ts}: the blocked ones through {@code (allowed, ts)}, the served
 * ones with an upstream status through a partial index, one key's through {@code (key, ts, id)}.
 */
final class PanelSql {

    /** $1 the range's first millisecond, $2 the limit: {@code value, n}. */
    final String blockedPaths;
    /** $1 the range's first millisecond, $2 the limit: {@code value, n}. */
    final String blockedUserAgents;
    /** $1 the range's first millisecond: {@code class, bucket, n}; bucket -1 for no latency. */
    final String upstream;
    /** $1 the range's first millisecond, $2 the bucket width, $3 the number of buckets: {@code rule_name, i, n}. */
    final String blockedByRule;
    /**
     * $1 the range's first millisecond, $2 the bucket width, $3 the number of buckets, $4 the key:
     * {@code i, allowed, blocked, shadow_blocked}.
     */
    final String keyBuckets;
    /** $1 the range's first millisecond, $2 the key, $3 the limit: {@code value, n}. */
    final String keyUserAgents;

    /** @param s the schema, quoted, with its dot */
    PanelSql(String s) {
        blockedPaths = """
                SELECT path AS value, count(*) AS n FROM %1$sevents
                 WHERE NOT allowed AND ts >= $1::bigint
                 GROUP BY path ORDER BY n DESC, path LIMIT $2::bigint""".formatted(s);
        blockedUserAgents = """
                SELECT user_agent AS value, count(*) AS n FROM %1$sevents
                 WHERE NOT allowed AND ts >= $1::bigint AND user_agent IS NOT NULL
                 GROUP BY user_agent ORDER BY n DESC, user_agent LIMIT $2::bigint""".formatted(s);
        // the bucket of LatencyHistogram: e = floor(log2 x) from the position of the highest bit
        upstream = """
                SELECT upstream_status / 100 AS class, bucket, count(*) AS n FROM (
                    SELECT upstream_status,
                           CASE WHEN upstream_latency_us IS NULL THEN -1
                                WHEN upstream_latency_us < 16 THEN upstream_latency_us
                                ELSE least(%2$d, 16 + (e - 4) * 16 + ((upstream_latency_us >> (e - 4)::int) & 15))
                           END AS bucket
                      FROM (SELECT upstream_status, upstream_latency_us,
                                   64 - position('1' IN upstream_latency_us::bit(64)::text) AS e
                              FROM %1$sevents
                             WHERE allowed AND upstream_status IS NOT NULL AND ts >= $1::bigint) AS raw
                ) AS bucketed
                 GROUP BY 1, 2""".formatted(s, LatencyHistogram.BUCKETS - 1);
        blockedByRule = """
                SELECT rule_name, least($3::bigint - 1, (ts - $1::bigint) / $2::bigint) AS i, count(*) AS n FROM %1$sevents
                 WHERE NOT allowed AND ts >= $1::bigint
                 GROUP BY 1, 2""".formatted(s);
        keyBuckets = """
                SELECT least($3::bigint - 1, (ts - $1::bigint) / $2::bigint) AS i,
                       count(*) FILTER (WHERE allowed AND NOT shadow) AS allowed,
                       count(*) FILTER (WHERE NOT allowed) AS blocked,
                       count(*) FILTER (WHERE allowed AND shadow) AS shadow_blocked
                  FROM %1$sevents
                 WHERE key = $4 AND ts >= $1::bigint
                 GROUP BY 1""".formatted(s);
        keyUserAgents = """
                SELECT user_agent AS value, count(*) AS n FROM %1$sevents
                 WHERE key = $2 AND ts >= $1::bigint AND user_agent IS NOT NULL
                 GROUP BY user_agent ORDER BY n DESC, user_agent LIMIT $3::bigint""".formatted(s);
    }
}
