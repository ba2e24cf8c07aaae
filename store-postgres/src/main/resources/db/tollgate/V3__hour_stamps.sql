-- Every statement that appends or deletes events stamps the hour rows of rollup_totals it changes with a
-- fresh number from one sequence. A reader that remembers an hour's stamp can tell, by reading it again,
-- whether any event of that hour was added or removed since: the offender ranking keeps the hours that
-- have not changed between calls instead of adding them up again.
CREATE SEQUENCE rollup_stamps;
ALTER TABLE rollup_totals ADD COLUMN stamp bigint NOT NULL DEFAULT 0;
