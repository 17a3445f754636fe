-- The account-linking policy (docs/security.md).

-- Why an IdP identity was linked to its account (linking.LinkBasis): VERIFIED_DOMAIN, NEW_ACCOUNT, INVITATION or
-- CONFIRMED. NULL for links made before it was recorded: such a link counts only while the organization verifies the
-- account's domain; outside its domains the person confirms it once more, as for a new link.
ALTER TABLE sso_identity ADD COLUMN link_basis VARCHAR(16);

-- An SSO sign-in that would link an existing account outside the organization's verified domains waits here until
-- the account's owner proves it is theirs and confirms (or ten minutes pass). Found by the hash of a secret held in
-- a cookie of the browser that signed in, so nobody else can confirm or even see it. groups_seen is NULL when the
-- IdP's answer left the groups unknown.
CREATE TABLE sso_link_request (
    id                      UUID PRIMARY KEY,
    token_hash              VARCHAR(64)   NOT NULL,
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    account_id              UUID          NOT NULL REFERENCES account (id),
    subject                 VARCHAR(512)  NOT NULL,
    name_id                 VARCHAR(1024),
    name_id_format          VARCHAR(256),
    email                   VARCHAR(320)  NOT NULL,
    display_name            VARCHAR(200)  NOT NULL,
    session_index           VARCHAR(256),
    groups_seen             VARCHAR(8000),
    return_to               VARCHAR(2000),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_link_request_token_uq UNIQUE (token_hash),
    CONSTRAINT sso_link_request_connection_fk FOREIGN KEY (organization_id, connection_id)
        REFERENCES sso_connection (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sso_link_request_expiry_ix ON sso_link_request (expires_at);
