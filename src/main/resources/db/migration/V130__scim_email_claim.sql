-- One email per directory, decided by the database (docs/scim.md, "One user per address"). The user that stands for
-- an address in a directory (linked to its account, or waiting for the account's owner) holds the directory's claim
-- on it; a second user with the address cannot insert the claim (INSERT ... ON CONFLICT DO NOTHING inserts nothing)
-- and is kept unlinked (held_reason 'email-taken'). The claim goes with the user: deleting the user releases it.
-- Portable between PostgreSQL 15+ and H2 2.x (PostgreSQL mode), like V1.
CREATE TABLE scim_email_claim (
    directory_id            UUID         NOT NULL,
    email_normalized        VARCHAR(320) NOT NULL,
    organization_id         UUID         NOT NULL,
    user_id                 UUID         NOT NULL REFERENCES scim_user (id) ON DELETE CASCADE,
    claimed_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT scim_email_claim_pk PRIMARY KEY (directory_id, email_normalized)
);
CREATE INDEX scim_email_claim_user_ix ON scim_email_claim (user_id);

-- Users linked before this migration claim their account's address; where a directory linked several users to one
-- account (the race this table ends), the oldest keeps the claim and the others keep their links until the
-- directory next changes them.
INSERT INTO scim_email_claim (directory_id, email_normalized, organization_id, user_id, claimed_at)
SELECT u.directory_id, a.email_normalized, u.organization_id, u.id, u.created_at
FROM scim_user u
JOIN account a ON a.id = u.account_id
WHERE u.membership_id IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM scim_user o
      JOIN account oa ON oa.id = o.account_id
      WHERE o.directory_id = u.directory_id AND o.membership_id IS NOT NULL
        AND oa.email_normalized = a.email_normalized
        AND (o.created_at < u.created_at OR (o.created_at = u.created_at AND o.id < u.id)));
