-- Directory users the account-linking policy keeps unlinked (docs/security.md#account-linking): held_reason says why
-- (claimed-domain, awaiting-acceptance, no-email), NULL for a linked user or one not yet decided. invitation_id is
-- the invitation that asks the owner of an existing account to join (awaiting-acceptance); accepting it links the
-- user.
ALTER TABLE scim_user ADD COLUMN held_reason VARCHAR(32);
ALTER TABLE scim_user ADD COLUMN invitation_id UUID;
CREATE INDEX scim_user_held_ix ON scim_user (directory_id, held_reason);
CREATE INDEX scim_user_invitation_ix ON scim_user (organization_id, invitation_id);

-- An invitation a directory sent on the organization's behalf, with the directory's name for the email and lists.
ALTER TABLE invitation ADD COLUMN directory_name VARCHAR(200);

-- What Roster made of a request, beside its status (a user kept unlinked, and why).
ALTER TABLE scim_request_log ADD COLUMN note VARCHAR(1000);
