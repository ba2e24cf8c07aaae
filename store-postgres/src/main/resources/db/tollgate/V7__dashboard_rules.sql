-- The rate-limit rules staff keep from the dashboard, and every change of them (who, when, before and after).
-- A save or deletion changes dashboard_rules and inserts its dashboard_rule_changes row in one transaction, and
-- only when the rule is at the version the editor read: UPDATE ... WHERE version = expected, or an INSERT ... ON
-- CONFLICT DO NOTHING for a creation. The configuration is kept as the JSON text it was given, exactly; the store
-- does not interpret it. deleteOlderThan leaves both tables alone; changes beyond the newest 10 000 are trimmed as
-- new ones are recorded (DELETE ... WHERE id <= newest id - 10 000). Creations take a transaction-scoped advisory
-- lock first, so that concurrent ones cannot pass the bound of 1 000 rules together. Times are epoch milliseconds,
-- as everywhere in the store.
CREATE TABLE dashboard_rules (
    name       varchar(100) COLLATE "C" PRIMARY KEY,
    config     text         NOT NULL,  -- the rule's configuration, encoded JSON of at most 16 384 bytes
    version    bigint       NOT NULL CHECK (version >= 1),
    updated_ms bigint       NOT NULL,
    updated_by varchar(100) NOT NULL
);

CREATE TABLE dashboard_rule_changes (
    id        bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- follows the order the changes were made
    at_ms     bigint       NOT NULL,
    who       varchar(100) NOT NULL,
    action    varchar(20)  NOT NULL,
    rule_name varchar(100) COLLATE "C" NOT NULL,
    before    text,                      -- NULL for a creation
    after     text                       -- NULL for a deletion
);
