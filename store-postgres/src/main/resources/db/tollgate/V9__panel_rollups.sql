-- Rollups for the dashboard's panels, so that a range of days adds up buckets instead of scanning its events.
-- Like the others, they are kept by the statements that append and delete events, and a query counts the edges of
-- its range that no whole bucket covers from the events.

-- Served events with an upstream status per status class (1..5) and LatencyHistogram bucket (-1: no latency): the
-- upstream panel. At most 5 x 465 rows per bucket and shard, whatever the traffic.
CREATE TABLE rollup_upstream (
    width_ms       bigint   NOT NULL,
    bucket_ms      bigint   NOT NULL,
    status_class   smallint NOT NULL,
    latency_bucket smallint NOT NULL,
    shard          smallint NOT NULL,
    served         bigint   NOT NULL,
    PRIMARY KEY (width_ms, bucket_ms, status_class, latency_bucket, shard)
);

-- Blocked events per path (kind 0) and per user agent (kind 1): the top blocked paths and user agents. Both are
-- chosen by clients, so a bucket holds at most 1000 values of a kind; a value that finds its bucket full is not
-- kept, and the bucket is marked in rollup_value_overflow instead, whose buckets queries count from the events.
CREATE TABLE rollup_blocked_values (
    kind      smallint NOT NULL,
    width_ms  bigint   NOT NULL,
    bucket_ms bigint   NOT NULL,
    value     text COLLATE "C" NOT NULL,
    blocked   bigint   NOT NULL,
    PRIMARY KEY (kind, width_ms, bucket_ms, value)
);

CREATE TABLE rollup_value_overflow (
    kind      smallint NOT NULL,
    width_ms  bigint   NOT NULL,
    bucket_ms bigint   NOT NULL,
    PRIMARY KEY (kind, width_ms, bucket_ms)
);

-- The events stored so far, counted once.
INSERT INTO rollup_upstream (width_ms, bucket_ms, status_class, latency_bucket, shard, served)
SELECT w.width, ts - ((ts % w.width) + w.width) % w.width, upstream_status / 100,
       CASE WHEN upstream_latency_us IS NULL THEN -1
            WHEN upstream_latency_us < 16 THEN upstream_latency_us
            ELSE least(463, 16 + (63 - position('1' IN upstream_latency_us::bit(64)::text) - 3) * 16
                            + ((upstream_latency_us >> (60 - position('1' IN upstream_latency_us::bit(64)::text)))
                               & 15))
       END,
       0, count(*)
  FROM events CROSS JOIN (VALUES (86400000::bigint), (3600000::bigint), (60000::bigint)) AS w(width)
 WHERE allowed AND upstream_status IS NOT NULL
 GROUP BY 1, 2, 3, 4;

CREATE TEMPORARY TABLE blocked_values_backfill AS
SELECT kind, width, bucket, value, n,
       row_number() OVER (PARTITION BY kind, width, bucket ORDER BY n DESC, value) AS rank
  FROM (SELECT v.kind, w.width, ts - ((ts % w.width) + w.width) % w.width AS bucket, v.value, count(*) AS n
          FROM events
         CROSS JOIN (VALUES (86400000::bigint), (3600000::bigint)) AS w(width)
         CROSS JOIN LATERAL (VALUES (0::smallint, path::text), (1::smallint, user_agent::text)) AS v(kind, value)
         WHERE NOT allowed AND v.value IS NOT NULL
         GROUP BY 1, 2, 3, 4) counted;

INSERT INTO rollup_blocked_values (kind, width_ms, bucket_ms, value, blocked)
SELECT kind, width, bucket, value, n FROM blocked_values_backfill WHERE rank <= 1000;

INSERT INTO rollup_value_overflow (kind, width_ms, bucket_ms)
SELECT DISTINCT kind, width, bucket FROM blocked_values_backfill WHERE rank > 1000;

DROP TABLE blocked_values_backfill;
