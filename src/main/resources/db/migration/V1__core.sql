-- Roster core schema. Portable between PostgreSQL 15+ and H2 2.x (PostgreSQL mode):
-- no partial indexes, no ON CONFLICT, no database-specific types beyond UUID and BYTEA.
-- Case-insensitive keys are stored in *_normalized columns so that plain unique indexes enforce them.

CREATE TABLE organization (
    id                      UUID PRIMARY KEY,
    slug                    VARCHAR(63)  NOT NULL,
    name                    VARCHAR(200) NOT NULL,
    require_two_factor      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organization_slug_uq UNIQUE (slug)
);

CREATE TABLE account (
    id                      UUID PRIMARY KEY,
    email                   VARCHAR(320) NOT NULL,
    email_normalized        VARCHAR(320) NOT NULL,
    display_name            VARCHAR(200) NOT NULL,
    password_hash           VARCHAR(200),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_email_uq UNIQUE (email_normalized)
);

-- status: ACTIVE | SUSPENDED | REMOVED. A removed membership is kept as a tombstone so that a
-- directory (SSO just-in-time provisioning) cannot silently bring back someone an admin or SCIM removed.
CREATE TABLE membership (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    account_id              UUID         NOT NULL REFERENCES account (id),
    admin                   BOOLEAN      NOT NULL,
    status                  VARCHAR(16)  NOT NULL,
    source                  VARCHAR(16)  NOT NULL,
    status_changed_by       VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT membership_org_account_uq UNIQUE (organization_id, account_id)
);
CREATE INDEX membership_account_ix ON membership (account_id);
CREATE INDEX membership_org_status_ix ON membership (organization_id, status, admin);

CREATE TABLE team (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    name                    VARCHAR(100) NOT NULL,
    name_normalized         VARCHAR(100) NOT NULL,
    description             VARCHAR(1000),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT team_org_name_uq UNIQUE (organization_id, name_normalized),
    CONSTRAINT team_org_id_uq UNIQUE (organization_id, id)
);

-- One row per source that puts a member in a team (MANUAL | SSO | SCIM). The member is in the team
-- while any row exists; each channel only adds and removes its own rows.
CREATE TABLE team_membership (
    organization_id         UUID         NOT NULL,
    team_id                 UUID         NOT NULL,
    membership_id           UUID         NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    source                  VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT team_membership_pk PRIMARY KEY (team_id, membership_id, source),
    CONSTRAINT team_membership_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX team_membership_member_ix ON team_membership (membership_id, team_id);

-- owner_type: ORGANIZATION | TEAM | MEMBER; kind: PROJECT | ENVIRONMENT | DATA_STORE
CREATE TABLE resource (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    kind                    VARCHAR(16)  NOT NULL,
    name                    VARCHAR(200) NOT NULL,
    name_normalized         VARCHAR(200) NOT NULL,
    owner_type              VARCHAR(16)  NOT NULL,
    owner_team_id           UUID,
    owner_membership_id     UUID         REFERENCES membership (id),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT resource_org_kind_name_uq UNIQUE (organization_id, kind, name_normalized),
    CONSTRAINT resource_team_fk FOREIGN KEY (organization_id, owner_team_id) REFERENCES team (organization_id, id)
);
CREATE INDEX resource_owner_team_ix ON resource (owner_team_id);
CREATE INDEX resource_owner_member_ix ON resource (owner_membership_id);

-- status: PENDING | ACCEPTED | REVOKED | EXPIRED (a pending row past expires_at reads as expired).
-- pending_email holds email_normalized while the invitation is pending and NULL otherwise, so the unique
-- constraint allows one open invitation per address and organization on both databases.
CREATE TABLE invitation (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    email                   VARCHAR(320) NOT NULL,
    email_normalized        VARCHAR(320) NOT NULL,
    pending_email           VARCHAR(320),
    admin                   BOOLEAN      NOT NULL,
    status                  VARCHAR(16)  NOT NULL,
    token_lookup            VARCHAR(32)  NOT NULL,
    token_hash              VARCHAR(64)  NOT NULL,
    invited_by_account_id   UUID         REFERENCES account (id),
    accepted_account_id     UUID         REFERENCES account (id),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at               TIMESTAMP WITH TIME ZONE,
    CONSTRAINT invitation_pending_uq UNIQUE (organization_id, pending_email)
);
CREATE INDEX invitation_org_status_ix ON invitation (organization_id, status, created_at);
CREATE INDEX invitation_token_ix ON invitation (token_lookup);
CREATE INDEX invitation_email_ix ON invitation (email_normalized);

CREATE TABLE invitation_team (
    invitation_id           UUID         NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    organization_id         UUID         NOT NULL,
    team_id                 UUID         NOT NULL,
    CONSTRAINT invitation_team_pk PRIMARY KEY (invitation_id, team_id),
    CONSTRAINT invitation_team_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);

CREATE TABLE api_token (
    id                      UUID PRIMARY KEY,
    account_id              UUID         NOT NULL REFERENCES account (id),
    name                    VARCHAR(100) NOT NULL,
    token_lookup            VARCHAR(32)  NOT NULL,
    token_hash              VARCHAR(64)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE,
    last_used_at            TIMESTAMP WITH TIME ZONE,
    revoked_at              TIMESTAMP WITH TIME ZONE
);
CREATE INDEX api_token_lookup_ix ON api_token (token_lookup);
CREATE INDEX api_token_account_ix ON api_token (account_id);

-- secret is encrypted (AES-GCM, see SecretCipher). confirmed_at stays NULL until the first code is verified.
CREATE TABLE two_factor (
    account_id              UUID PRIMARY KEY REFERENCES account (id),
    secret                  VARCHAR(200) NOT NULL,
    confirmed_at            TIMESTAMP WITH TIME ZONE,
    last_used_step          BIGINT       NOT NULL DEFAULT 0,
    failed_attempts         INT          NOT NULL DEFAULT 0,
    locked_until            TIMESTAMP WITH TIME ZONE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE recovery_code (
    account_id              UUID         NOT NULL REFERENCES account (id),
    code_hash               VARCHAR(64)  NOT NULL,
    used_at                 TIMESTAMP WITH TIME ZONE,
    CONSTRAINT recovery_code_pk PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE audit_event (
    id                      UUID PRIMARY KEY,
    organization_id         UUID,
    occurred_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_account_id        UUID,
    actor_label             VARCHAR(320) NOT NULL,
    channel                 VARCHAR(16)  NOT NULL,
    action                  VARCHAR(64)  NOT NULL,
    target_type             VARCHAR(32)  NOT NULL,
    target_id               VARCHAR(64),
    target_label            VARCHAR(320),
    before_state            VARCHAR,
    after_state             VARCHAR
);
CREATE INDEX audit_event_org_time_ix ON audit_event (organization_id, occurred_at DESC, id);
CREATE INDEX audit_event_actor_ix ON audit_event (organization_id, actor_account_id, occurred_at DESC);
CREATE INDEX audit_event_target_ix ON audit_event (organization_id, target_id);

-- Outgoing mail is written in the same transaction as the change that causes it and delivered afterwards,
-- so a rolled-back request sends nothing and an SMTP outage loses nothing.
CREATE TABLE mail_outbox (
    id                      UUID PRIMARY KEY,
    recipient               VARCHAR(320) NOT NULL,
    subject                 VARCHAR(400) NOT NULL,
    text_body               VARCHAR      NOT NULL,
    html_body               VARCHAR      NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts                INT          NOT NULL DEFAULT 0,
    claimed_until           TIMESTAMP WITH TIME ZONE,
    sent_at                 TIMESTAMP WITH TIME ZONE,
    last_error              VARCHAR(1000)
);
CREATE INDEX mail_outbox_due_ix ON mail_outbox (sent_at, next_attempt_at);

-- Rows with a shared secret (the encryption key when no ROSTER_SECRET_KEY is configured).
CREATE TABLE instance_secret (
    name                    VARCHAR(64) PRIMARY KEY,
    secret_value            VARCHAR(200) NOT NULL
);

-- Spring Session JDBC (web sessions shared by every Roster instance).
CREATE TABLE spring_session (
    primary_id              CHAR(36)     NOT NULL,
    session_id              CHAR(36)     NOT NULL,
    creation_time           BIGINT       NOT NULL,
    last_access_time        BIGINT       NOT NULL,
    max_inactive_interval   INT          NOT NULL,
    expiry_time             BIGINT       NOT NULL,
    principal_name          VARCHAR(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id      CHAR(36)     NOT NULL,
    attribute_name          VARCHAR(200) NOT NULL,
    attribute_bytes         BYTEA        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
