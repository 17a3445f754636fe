-- SAML single sign-on: connections to identity providers, verified email domains, access grants, group-to-team
-- mappings, the identities an IdP asserted, and the one-time state that several Roster instances must share
-- (authentication requests in flight and assertion IDs already used).

-- kind: ENTRA | OKTA | GENERIC. idp_metadata_xml is the last metadata accepted (from the admin or the URL);
-- the verification certificates, SSO and SLO endpoints are read from it. sp_private_key is encrypted with
-- SecretCipher; sp_certificate is its self-signed (or uploaded) certificate, published in the SP metadata.
-- scim_policy: LOGIN_ONLY (when a SCIM directory manages the organization, SSO only signs people in) | PROVISION.
CREATE TABLE sso_connection (
    id                      UUID PRIMARY KEY,
    organization_id         UUID          NOT NULL REFERENCES organization (id),
    kind                    VARCHAR(16)   NOT NULL,
    name                    VARCHAR(200)  NOT NULL,
    enabled                 BOOLEAN       NOT NULL,
    idp_entity_id           VARCHAR(1024) NOT NULL,
    idp_metadata_url        VARCHAR(2048),
    idp_metadata_xml        VARCHAR       NOT NULL,
    metadata_refreshed_at   TIMESTAMP WITH TIME ZONE,
    metadata_error          VARCHAR(1000),
    extra_certificates      VARCHAR,
    sp_private_key          VARCHAR       NOT NULL,
    sp_certificate          VARCHAR       NOT NULL,
    idp_initiated           BOOLEAN       NOT NULL,
    enforce_sso             BOOLEAN       NOT NULL,
    scim_policy             VARCHAR(16)   NOT NULL,
    attribute_mapping       VARCHAR(4000),
    graph_tenant_id         VARCHAR(100),
    graph_client_id         VARCHAR(100),
    graph_client_secret     VARCHAR(1000),
    okta_org_url            VARCHAR(500),
    okta_api_token          VARCHAR(1000),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_connection_org_id_uq UNIQUE (organization_id, id)
);
CREATE INDEX sso_connection_org_ix ON sso_connection (organization_id);

-- An email domain an organization claims. verified_domain holds the domain once verified and NULL before, so the
-- unique constraint lets any number of organizations claim a domain but only one of them verify it.
CREATE TABLE sso_domain (
    id                      UUID PRIMARY KEY,
    organization_id         UUID          NOT NULL REFERENCES organization (id),
    domain                  VARCHAR(253)  NOT NULL,
    verified_domain         VARCHAR(253),
    verification_token      VARCHAR(100)  NOT NULL,
    verified_at             TIMESTAMP WITH TIME ZONE,
    verified_by             VARCHAR(16),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_domain_org_domain_uq UNIQUE (organization_id, domain),
    CONSTRAINT sso_domain_verified_uq UNIQUE (verified_domain)
);

-- Who an SSO login lets in: kind DOMAIN (a verified domain of the organization), GROUP (an IdP group claim value),
-- EMAIL (one address).
CREATE TABLE sso_access_grant (
    id                      UUID PRIMARY KEY,
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    kind                    VARCHAR(16)   NOT NULL,
    grant_value             VARCHAR(320)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_access_grant_uq UNIQUE (connection_id, kind, grant_value),
    CONSTRAINT sso_access_grant_connection_fk FOREIGN KEY (organization_id, connection_id)
        REFERENCES sso_connection (organization_id, id) ON DELETE CASCADE
);

-- IdP group -> team (and optionally admin). group_value is what the group claim carries: the Entra group object
-- id (also the SCIM group's externalId) or the Okta group name. team_id may be NULL for an admin-only mapping.
CREATE TABLE sso_group_mapping (
    id                      UUID PRIMARY KEY,
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    group_value             VARCHAR(256)  NOT NULL,
    group_display_name      VARCHAR(256),
    team_id                 UUID,
    admin                   BOOLEAN       NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_group_mapping_connection_fk FOREIGN KEY (organization_id, connection_id)
        REFERENCES sso_connection (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT sso_group_mapping_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sso_group_mapping_lookup_ix ON sso_group_mapping (connection_id, group_value);
CREATE INDEX sso_group_mapping_team_ix ON sso_group_mapping (organization_id, team_id);

-- The identity an IdP asserted, linked to the Roster account it signs in. subject is the stable identifier
-- (Entra objectidentifier, or a persistent NameID); admin_granted remembers that SSO (not an admin) made the
-- member an admin, so SSO only ever takes back what it gave.
CREATE TABLE sso_identity (
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    subject                 VARCHAR(512)  NOT NULL,
    account_id              UUID          NOT NULL REFERENCES account (id),
    admin_granted           BOOLEAN       NOT NULL,
    groups_seen             VARCHAR(8000),
    first_login_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_identity_pk PRIMARY KEY (connection_id, subject),
    CONSTRAINT sso_identity_connection_fk FOREIGN KEY (organization_id, connection_id)
        REFERENCES sso_connection (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sso_identity_account_ix ON sso_identity (account_id);

-- Assertion IDs already accepted, until the assertion would have expired anyway: a replayed assertion is refused
-- by whichever instance receives it.
CREATE TABLE sso_assertion_replay (
    connection_id           UUID          NOT NULL,
    assertion_id            VARCHAR(256)  NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sso_assertion_replay_pk PRIMARY KEY (connection_id, assertion_id)
);
CREATE INDEX sso_assertion_replay_expiry_ix ON sso_assertion_replay (expires_at);

-- AuthnRequests in flight, found again by the RelayState the IdP echoes. Kept in the database rather than the web
-- session because the IdP's cross-site POST does not carry a SameSite=Lax session cookie, and any instance may
-- receive it.
CREATE TABLE sso_authn_request (
    relay_state             VARCHAR(100)  PRIMARY KEY,
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    request_id              VARCHAR(256)  NOT NULL,
    binding                 VARCHAR(16)   NOT NULL,
    saml_request            VARCHAR       NOT NULL,
    request_uri             VARCHAR(2048) NOT NULL,
    sig_alg                 VARCHAR(200),
    signature               VARCHAR(2000),
    return_to               VARCHAR(2000),
    invitation_token        VARCHAR(200),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sso_authn_request_expiry_ix ON sso_authn_request (expires_at);
