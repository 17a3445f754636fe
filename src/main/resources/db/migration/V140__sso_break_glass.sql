-- An organization's single sign-on settings. Without a row, the defaults hold: admins keep password and
-- second-factor sign-in (break-glass) while their domain enforces SSO.
CREATE TABLE sso_settings (
    organization_id         UUID          PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
    admin_break_glass       BOOLEAN       NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
