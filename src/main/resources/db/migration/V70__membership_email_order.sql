-- The member list is ordered by email. The address lived on the account only, so listing a large organization
-- joined and sorted all its members for every page. An account's address never changes (SCIM, SSO and the profile
-- keep it), so each membership carries a copy, and an index walks an organization's members in list order.
ALTER TABLE membership ADD COLUMN email_normalized VARCHAR(320);
UPDATE membership SET email_normalized = (SELECT a.email_normalized FROM account a WHERE a.id = membership.account_id);
ALTER TABLE membership ALTER COLUMN email_normalized SET NOT NULL;
CREATE INDEX membership_org_email_ix ON membership (organization_id, email_normalized, id);
