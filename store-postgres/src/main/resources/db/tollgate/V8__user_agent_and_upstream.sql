-- Events carry the request's user agent and, in gateway mode, the upstream's answer to a served request: its
-- status and how long its response head took, in microseconds. All three are null when unknown: events stored
-- before, refused requests, the handler without a proxy, an upstream that failed.
ALTER TABLE events ADD COLUMN user_agent varchar(255) COLLATE "C";
ALTER TABLE events ADD COLUMN upstream_status smallint CHECK (upstream_status BETWEEN 100 AND 599);
ALTER TABLE events ADD COLUMN upstream_latency_us bigint CHECK (upstream_latency_us >= 0);
