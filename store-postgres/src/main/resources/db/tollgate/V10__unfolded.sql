-- The batches of events not yet in the rollups. An append stores its events and, in the same statement, the ids it
-- gave them here; the rollups take them in later (a fold), in the background and before every query that reads the
-- rollups, so that an append costs little more than the INSERT of its events. A fold deletes the batches it takes
-- in, in the transaction that adds them to the rollups; a deletion of old events takes away from the rollups only
-- the events that are not listed here.
CREATE TABLE unfolded (
    batch    bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    events   integer  NOT NULL,  -- how many ids: a fold takes batches up to a number of events without reading them
    first_id bigint   NOT NULL,  -- the least and greatest of the ids: a fold reads the range of ids its batches
    last_id  bigint   NOT NULL,  -- span through the primary key, and keeps the events listed
    ids      bigint[] NOT NULL
);
