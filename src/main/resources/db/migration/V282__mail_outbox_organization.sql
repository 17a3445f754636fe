-- The organization a message is about, if any (an invitation, an admins' notice); null for mail about a person's own
-- account. The dispatcher holds an organization's mail while it is deleted, and the purge removes it with the rest of
-- the organization's rows (it deletes by organization_id, hence the index).
ALTER TABLE mail_outbox ADD COLUMN organization_id UUID;
CREATE INDEX mail_outbox_organization_ix ON mail_outbox (organization_id);
