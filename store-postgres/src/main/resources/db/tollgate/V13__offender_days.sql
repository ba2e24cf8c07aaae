-- The offenders' day rows are added up from their hour rows once a day has passed, instead of being upserted by every
-- fold: a fold's blocked keys are mostly new to the day as to the hour, so each cost a second row written per fold,
-- where a day's keys now cost one row each, once.
--
-- One row says how far the day rows reach: they hold every folded event stamped before days_before_ms (an hour's
-- start) and none stamped after it; the hour rows hold every folded event. A fold adds its events to the hour rows,
-- and to the day rows only those stamped before days_before_ms (late ones); a deletion takes away likewise. Moving
-- days_before_ms on, an hour at a time once a day has passed, adds the hour rows it passes into their days' rows,
-- under the fold lock, so that no fold or deletion runs beside it. Queries count a day from its day rows only when it
-- ends at or before days_before_ms, and from its hour rows otherwise.
CREATE TABLE offender_days (
    one            boolean PRIMARY KEY DEFAULT true CHECK (one),
    days_before_ms bigint  NOT NULL
);

-- Every day row so far is complete (every fold upserted them): the day rows reach past the last of them.
INSERT INTO offender_days (days_before_ms)
SELECT coalesce(max(bucket_ms) + 86400000, 0) FROM rollup_offenders WHERE width_ms = 86400000;

-- Renamed, so that a node of an earlier build, whose folds would add every event to the day rows and whose rankings
-- would read today's day rows, fails its folds and rankings instead of counting wrong; its appends still land, and the
-- nodes of this build fold them.
ALTER TABLE rollup_offenders RENAME TO rollup_offender_counts;
ALTER INDEX rollup_offenders_pkey RENAME TO rollup_offender_counts_pkey;
