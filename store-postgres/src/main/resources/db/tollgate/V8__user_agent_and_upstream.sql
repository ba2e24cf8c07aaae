-- Events carry the request's user agent and, in gateway mode, the upstream's answer to a served request: its
-- status and how long its response head took, in microseconds. All three are null when unknown: events stored
-- before, refused requests, the handler without a proxy, an upstream that failed.
ALTER TABLE events ADD COLUMN user_agent varchar(255) COLLATE "C";
ALTER TABLE events ADD COLUMN upstream_status smallint CHECK (upstream_status BETWEEN 100 AND 599);
ALTER TABLE events ADD COLUMN upstream_latency_us bigint CHECK (upstream_latency_us >= 0);

-- The dashboard's upstream panel reads the served events with an upstream status in its range, which are a part of
-- all events: through their own index. (Blocked paths and user agents go through events_allowed_ts_idx, one key's
-- timeline through events_key_ts_idx.)
CREATE INDEX events_upstream_ts_idx ON events (ts) WHERE allowed AND upstream_status IS NOT NULL;
