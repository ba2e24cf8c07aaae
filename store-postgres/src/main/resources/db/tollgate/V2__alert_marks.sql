-- When each key was last alerted, per kind of alert: the cooldown of offender alerts survives
-- restarts and holds across nodes and cron runs.
CREATE TABLE alert_marks (
    kind       varchar(50)  COLLATE "C" NOT NULL,
    key        varchar(255) COLLATE "C" NOT NULL,
    alerted_ms bigint       NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX alert_marks_kind_alerted_idx ON alert_marks (kind, alerted_ms);
