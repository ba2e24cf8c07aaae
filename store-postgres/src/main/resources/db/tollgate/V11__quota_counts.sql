-- The counts of quota rules (kind: quota) on the local limiter backend, kept here so that they survive a restart and
-- are shared by the nodes that use this store. One row per quota (the rule's name, period and zone), client key and
-- period: a new period is a new row, which starts at the cost of its first request. An acquisition is one statement,
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE count + cost <= limit RETURNING count, which takes the row's lock, so
-- concurrent acquisitions from any node never pass the limit; no row returned is a refusal. deleteOlderThan deletes
-- the rows of periods that have ended. Times are epoch seconds.
CREATE TABLE quota_counts (
    quota        text   COLLATE "C" NOT NULL,
    client_key   text   COLLATE "C" NOT NULL,
    period_start bigint NOT NULL,
    period_end   bigint NOT NULL,
    count        bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (quota, client_key, period_start)
);

CREATE INDEX quota_counts_period_end ON quota_counts (period_end);
