-- A served request is never blocked in any report. Until now an event that only a shadow rule would have refused
-- was stored as allowed = false, shadow = true and counted as blocked everywhere, and allowed = true, shadow = true
-- meant no more than "the rule the event names is a shadow rule". From now on allowed means the request was served
-- and shadow that a shadow rule would have refused it (set on served events only), so every event is one of:
-- allowed (allowed AND NOT shadow), blocked (NOT allowed) and shadow-blocked (allowed AND shadow).

-- The rollups count shadow-blocked events apart, beside the blocked ones: in total, per rule and, for the shadow
-- ranking, per key. The allowed column of rollup_totals now counts allowed AND NOT shadow.
ALTER TABLE rollup_totals ADD COLUMN shadow_blocked bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_rules ADD COLUMN shadow_blocked bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_offenders ADD COLUMN shadow_blocked bigint NOT NULL DEFAULT 0;

-- The UTC days that hold a would-be refusal stored as blocked: their rollup rows change.
CREATE TEMPORARY TABLE relabelled_days ON COMMIT DROP AS
SELECT DISTINCT ts - ((ts % 86400000) + 86400000) % 86400000 AS day_ms
  FROM events
 WHERE shadow AND NOT allowed;

-- Old allowed = false, shadow = true: served, a shadow rule would have refused it → allowed = true, shadow = true.
-- Old allowed = true, shadow = true: served, the named rule a shadow rule that allowed it → shadow = false.
-- (The right-hand sides read the old values.)
UPDATE events SET allowed = true, shadow = NOT allowed WHERE shadow;

-- The exact part of the shadow ranking: the shadow-blocked events of a time range, which are few.
CREATE INDEX events_shadow_blocked_ts_idx ON events (ts) WHERE allowed AND shadow;

-- Every rollup row of those days, at every width and in every shard, counted again from the relabelled events (into
-- shard 0, with fresh stamps for the hours, so that no kept offender ranking survives them). The rows of other days
-- held no such event, and the relabelling of allowed shadow events changes none of their counts.
DELETE FROM rollup_totals r USING relabelled_days d
 WHERE r.bucket_ms >= d.day_ms AND r.bucket_ms < d.day_ms + 86400000;
DELETE FROM rollup_rules r USING relabelled_days d
 WHERE r.bucket_ms >= d.day_ms AND r.bucket_ms < d.day_ms + 86400000;
DELETE FROM rollup_offenders r USING relabelled_days d
 WHERE r.bucket_ms >= d.day_ms AND r.bucket_ms < d.day_ms + 86400000;

INSERT INTO rollup_totals (width_ms, bucket_ms, shard, allowed, blocked, shadow_blocked, stamp)
SELECT w.width, e.ts - ((e.ts % w.width) + w.width) % w.width AS bucket, 0,
       count(*) FILTER (WHERE e.allowed AND NOT e.shadow), count(*) FILTER (WHERE NOT e.allowed),
       count(*) FILTER (WHERE e.allowed AND e.shadow),
       CASE WHEN w.width = 3600000 THEN nextval('rollup_stamps') ELSE 0 END
  FROM events e
  JOIN relabelled_days d ON e.ts >= d.day_ms AND e.ts < d.day_ms + 86400000
 CROSS JOIN (VALUES (86400000::bigint), (3600000::bigint), (60000::bigint), (1000::bigint)) AS w(width)
 GROUP BY w.width, bucket;

INSERT INTO rollup_rules (width_ms, bucket_ms, rule_name, shard, hits, blocked, shadow_blocked)
SELECT w.width, e.ts - ((e.ts % w.width) + w.width) % w.width AS bucket, e.rule_name, 0, count(*),
       count(*) FILTER (WHERE NOT e.allowed), count(*) FILTER (WHERE e.allowed AND e.shadow)
  FROM events e
  JOIN relabelled_days d ON e.ts >= d.day_ms AND e.ts < d.day_ms + 86400000
 CROSS JOIN (VALUES (86400000::bigint), (3600000::bigint), (60000::bigint)) AS w(width)
 WHERE e.rule_name <> ''
 GROUP BY w.width, bucket, e.rule_name;

INSERT INTO rollup_offenders (width_ms, bucket_ms, key, blocked, shadow_blocked)
SELECT w.width, e.ts - ((e.ts % w.width) + w.width) % w.width AS bucket, e.key,
       count(*) FILTER (WHERE NOT e.allowed), count(*) FILTER (WHERE e.allowed AND e.shadow)
  FROM events e
  JOIN relabelled_days d ON e.ts >= d.day_ms AND e.ts < d.day_ms + 86400000
 CROSS JOIN (VALUES (86400000::bigint), (3600000::bigint)) AS w(width)
 WHERE NOT e.allowed OR e.shadow
 GROUP BY w.width, bucket, e.key;
