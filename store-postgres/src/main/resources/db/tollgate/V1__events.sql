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

-- Allowed and blocked events per minute: the summary and the time series.
-- bucket_ms is the first millisecond of the minute.
CREATE TABLE rollup_minute (
    bucket_ms bigint PRIMARY KEY,
    allowed   bigint NOT NULL,
    blocked   bigint NOT NULL
);

-- Events per named rule per minute: the rule hits.
CREATE TABLE rollup_rule_minute (
    bucket_ms bigint NOT NULL,
    rule_name varchar(100) COLLATE "C" NOT NULL,
    hits      bigint NOT NULL,
    blocked   bigint NOT NULL,
    PRIMARY KEY (bucket_ms, rule_name)
);

-- Blocked events per key per hour: the top offenders. Keys are many, so the bucket is coarser.
CREATE TABLE rollup_offender_hour (
    bucket_ms bigint NOT NULL,
    key       varchar(255) COLLATE "C" NOT NULL,
    blocked   bigint NOT NULL,
    PRIMARY KEY (bucket_ms, key)
);
