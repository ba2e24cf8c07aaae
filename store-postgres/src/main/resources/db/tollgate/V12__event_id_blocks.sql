-- An append takes its events' ids in blocks of 1000 consecutive ids, one nextval of the events' identity sequence per
-- block, which now steps by 1000: each block's events are then one range of ids that no other append shares, and the
-- row of unfolded that lists them says which events they are by first_id and last_id alone. The array of their ids,
-- written by every append and read by every fold, goes. The batches listed before this migration, whose ids may
-- interleave with other batches', become a row per event.
ALTER TABLE events ALTER COLUMN id SET INCREMENT BY 1000;

INSERT INTO unfolded (events, first_id, last_id, ids)
SELECT 1, id, id, '{}'
  FROM (SELECT batch, unnest(ids) AS id FROM unfolded WHERE cardinality(ids) > 0) listed
 ORDER BY batch, id;

DELETE FROM unfolded WHERE cardinality(ids) > 0;

ALTER TABLE unfolded DROP COLUMN ids;
