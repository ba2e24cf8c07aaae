-- Appends in flight at the same time (several nodes recording to one database) all add to the same few rows
-- of rollup_totals and rollup_rules: the current day, hour, minute, second and rule. Each append now adds to
-- the rows of one of several shards, chosen by its transaction, so that concurrent appends rarely wait for one
-- another's commit; readers add the shards of a bucket up. Deleting old events settles their buckets' shards
-- back into shard 0.
ALTER TABLE rollup_totals ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE rollup_totals DROP CONSTRAINT rollup_totals_pkey;
ALTER TABLE rollup_totals ADD PRIMARY KEY (width_ms, bucket_ms, shard);

ALTER TABLE rollup_rules ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE rollup_rules DROP CONSTRAINT rollup_rules_pkey;
ALTER TABLE rollup_rules ADD PRIMARY KEY (width_ms, bucket_ms, rule_name, shard);
