-- Failed password sign-ins, counted per address typed and per client address so that every instance sees the same
-- counts (docs/security.md). key_hash is the SHA-256 of "account:<address>" or "client:<address>": unknown addresses
-- are counted like existing ones, and no address is kept in the clear. Rows whose window has ended are purged.
CREATE TABLE sign_in_failure (
    key_hash                VARCHAR(64)  PRIMARY KEY,
    failures                INTEGER      NOT NULL,
    window_start            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sign_in_failure_window_ix ON sign_in_failure (window_start);
