-- Token buckets shared by every Roster instance (Bucket4j's PostgreSQL backend, shared.ratelimit.SharedBuckets): the
-- SCIM request rate per directory and the SAML refusal audit budget per connection and reason. The layout is the one
-- Bucket4j's JDBC proxy manager reads and writes: the key, its serialized state, and when the row may be deleted
-- (epoch milliseconds; the purge deletes rows past it). H2 (the demo) keeps its buckets in memory and never uses it.
CREATE TABLE rate_limit_bucket (
    id VARCHAR(255) PRIMARY KEY,
    state BYTEA,
    expires_at BIGINT
);

CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
