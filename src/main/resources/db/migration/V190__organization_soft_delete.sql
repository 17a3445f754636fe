-- Organizations as a service (docs/operations.md#running-roster-for-many-customers).

-- Set when an operator deletes the organization: from then on nothing reaches it (sessions, API tokens, SCIM tokens,
-- SSO, decisions), and its data is purged once roster.orgs.retention has passed. The row, and with it the slug, stays
-- until the purge, so a slug is never reused within the retention period. purge_started_at is set (conditionally)
-- before the purge deletes anything, so a restore racing it either wins before the purge starts or is refused.
ALTER TABLE organization ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE organization ADD COLUMN purge_started_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX organization_deleted_ix ON organization (deleted_at);

-- The purge sweep runs on one instance at a time: an instance claims this row until claimed_until (with a
-- conditional update) and releases it when done; a crashed instance's claim simply runs out.
CREATE TABLE organization_sweep (
    id                      INTEGER PRIMARY KEY,
    claimed_by              VARCHAR(64),
    claimed_until           TIMESTAMP WITH TIME ZONE
);
INSERT INTO organization_sweep (id) VALUES (1);
