-- The admin flag by source, like team grants (team_membership): source MANUAL (an admin, an invitation, bootstrap),
-- SSO or SCIM. A member is an admin while any grant exists; membership.admin stays as that result, so every read of
-- it (the decision query, the per-request access check) is unchanged. A directory adds and withdraws only its own
-- grant, so it never undoes an admin's. Replaces scim_user.admin_granted and sso_identity.admin_granted, which the
-- scim and sso modules kept for the membership module's flag.
CREATE TABLE membership_admin_grant (
    organization_id         UUID         NOT NULL,
    membership_id           UUID         NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    source                  VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT membership_admin_grant_pk PRIMARY KEY (membership_id, source)
);
-- The grants of one source in an organization (previews, the admins SSO made).
CREATE INDEX membership_admin_grant_org_ix ON membership_admin_grant (organization_id, source);

-- What the directories had granted, for the live admins they granted it to.
INSERT INTO membership_admin_grant (organization_id, membership_id, source, created_at)
SELECT DISTINCT m.organization_id, m.id, 'SCIM', CURRENT_TIMESTAMP
FROM scim_user u JOIN membership m ON m.id = u.membership_id AND m.organization_id = u.organization_id
WHERE u.admin_granted = TRUE AND m.admin = TRUE AND m.status <> 'REMOVED';

INSERT INTO membership_admin_grant (organization_id, membership_id, source, created_at)
SELECT DISTINCT m.organization_id, m.id, 'SSO', CURRENT_TIMESTAMP
FROM sso_identity i JOIN membership m ON m.organization_id = i.organization_id AND m.account_id = i.account_id
WHERE i.admin_granted = TRUE AND m.admin = TRUE AND m.status <> 'REMOVED';

-- Every other admin was made one by hand (an admin, an invitation, bootstrap).
INSERT INTO membership_admin_grant (organization_id, membership_id, source, created_at)
SELECT m.organization_id, m.id, 'MANUAL', CURRENT_TIMESTAMP
FROM membership m
WHERE m.admin = TRUE AND m.status <> 'REMOVED'
  AND NOT EXISTS (SELECT 1 FROM membership_admin_grant g WHERE g.membership_id = m.id);

ALTER TABLE scim_user DROP COLUMN admin_granted;
ALTER TABLE sso_identity DROP COLUMN admin_granted;
