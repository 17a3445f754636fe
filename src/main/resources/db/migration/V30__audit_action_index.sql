-- The audit log page filters by action and suggests the actions an organization's log holds; both read this index
-- instead of every event of the organization.
CREATE INDEX audit_event_org_action_ix ON audit_event (organization_id, action, occurred_at DESC);
