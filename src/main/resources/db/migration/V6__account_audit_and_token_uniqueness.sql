-- Account-level audit events (profile, password, API tokens, two-factor) belong to no organization. They name the
-- account they concern, so a person can read their own history without seeing anyone else's.
ALTER TABLE audit_event ADD COLUMN subject_account_id UUID;
CREATE INDEX audit_event_subject_ix ON audit_event (subject_account_id, occurred_at DESC);

-- A token's hash identifies it. Unique, so two Roster instances bootstrapping the same operator-chosen token at
-- once cannot both insert it: the second fails, re-reads and finds the first one's row.
CREATE UNIQUE INDEX api_token_hash_uq ON api_token (token_hash);
