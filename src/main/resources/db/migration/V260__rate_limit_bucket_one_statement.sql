-- Shared token buckets taken in one statement (issue 15, docs/decisions/0018): instead of Bucket4j's serialized state,
-- read and written under a row lock in a transaction of three round trips, a bucket is two numbers that one
-- INSERT … ON CONFLICT DO UPDATE refills and takes from atomically, in autocommit:
--   units        what the bucket holds, in units of 1/refill-period-in-nanoseconds of a token (integer arithmetic:
--                a bucket of capacity C and period P holds C × P units when full and refills C units a nanosecond);
--   refilled_at  the application clock's time (epoch nanoseconds) the units were last brought up to date;
--   taken        whether the last take found a token (the statement's answer; PostgreSQL 15's RETURNING cannot
--                read the row as it was before the update).
-- Rows written by Bucket4j (state only) count as full buckets. The table stays unlogged on PostgreSQL (V240).
ALTER TABLE rate_limit_bucket ADD COLUMN units BIGINT;
ALTER TABLE rate_limit_bucket ADD COLUMN refilled_at BIGINT;
ALTER TABLE rate_limit_bucket ADD COLUMN taken BOOLEAN;
