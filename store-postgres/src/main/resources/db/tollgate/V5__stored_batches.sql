-- The ids of the batches stored by appendBatch: a batch sent again under an id found here (a spool replayed after
-- a crash) stores nothing. The statement that stores a batch's events inserts its id with them, so both are stored
-- or neither, and concurrent statements with one id wait on this primary key: one inserts, the others find it.
-- deleteOlderThan removes the ids stored before its cut-off whose events it removed (all older than the cut-off).
CREATE TABLE stored_batches (
    batch_id        varchar(100) COLLATE "C" PRIMARY KEY,
    stored_ms       bigint NOT NULL,  -- when the batch was stored, by the store's clock (epoch milliseconds)
    newest_event_ms bigint            -- the newest timestamp among its events; NULL for an empty batch
);
CREATE INDEX stored_batches_stored_idx ON stored_batches (stored_ms);
