-- The event log and the rollups that answer the dashboard without scanning it.
-- Timestamps are epoch milliseconds (UTC): exact, and the window arithmetic stays integer.
-- Text columns use the "C" collation so that ordering and ties match Java's String.compareTo.

CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts         bigint       NOT NULL,
    key        varchar(255) COLLATE "C" NOT NULL,
    rule_name  varchar(100) COLLATE "C" NOT NULL,
    path       varchar(500) COLLATE "C" NOT NULL,
    method     varchar(10)  NOT NULL,
    allowed    boolean      NOT NULL,
    count      bigint       NOT NULL,
    "limit"    bigint       NOT NULL,
    ip_address text,
    user_id    text,
    shadow     boolean      NOT NULL
);

-- newest-first listing and keyset pages: (ts, id) descending
CREATE INDEX events_ts_idx ON events (ts, id);
-- one key's drill-down: its window and its latest events
CREATE INDEX events_key_ts_idx ON events (key, ts, id);
-- blocked events of a time range: the exact part of the offender ranking
CREATE INDEX events_allowed_ts_idx ON events (allowed, ts);

-- The rollups: counts per time bucket, at several widths (width_ms: a day, an hour, a minute, a second),
-- bucket_ms the bucket's first millisecond. A query takes the widest whole buckets that fit its range,
-- finer ones towards the edges, and counts the rest from events.

-- Allowed and blocked events: the summary and the time series.
CREATE TABLE rollup_totals (
    width_ms  bigint NOT NULL,
    bucket_ms bigint NOT NULL,
    allowed   bigint NOT NULL,
    blocked   bigint NOT NULL,
    PRIMARY KEY (width_ms, bucket_ms)
);

-- Events and blocked events per named rule: the rule hits.
CREATE TABLE rollup_rules (
    width_ms  bigint NOT NULL,
    bucket_ms bigint NOT NULL,
    rule_name varchar(100) COLLATE "C" NOT NULL,
    hits      bigint NOT NULL,
    blocked   bigint NOT NULL,
    PRIMARY KEY (width_ms, bucket_ms, rule_name)
);

-- Blocked events per key: the top offenders.
CREATE TABLE rollup_offenders (
    width_ms  bigint NOT NULL,
    bucket_ms bigint NOT NULL,
    key       varchar(255) COLLATE "C" NOT NULL,
    blocked   bigint NOT NULL,
    PRIMARY KEY (width_ms, bucket_ms, key)
);
