-- SCIM 2.0 provisioning: directories and their bearer tokens, the users and groups an identity provider keeps
-- here, group-to-team mappings, the per-organization lifecycle setting and the request log.
-- Portable between PostgreSQL 15+ and H2 2.x (PostgreSQL mode), like V1.

-- kind: ENTRA | OKTA | GENERIC. requests_per_second overrides roster.scim.rate-limit for this directory.
CREATE TABLE scim_directory (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    name                    VARCHAR(100) NOT NULL,
    kind                    VARCHAR(16)  NOT NULL,
    requests_per_second     INT,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT scim_directory_org_id_uq UNIQUE (organization_id, id)
);
CREATE INDEX scim_directory_org_ix ON scim_directory (organization_id, created_at);

-- Only a hash is stored (SecretToken); at most two live tokens per directory, so a rotation overlaps.
CREATE TABLE scim_token (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL,
    directory_id            UUID         NOT NULL,
    token_lookup            VARCHAR(32)  NOT NULL,
    token_hash              VARCHAR(64)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at            TIMESTAMP WITH TIME ZONE,
    revoked_at              TIMESTAMP WITH TIME ZONE,
    CONSTRAINT scim_token_directory_fk FOREIGN KEY (organization_id, directory_id)
        REFERENCES scim_directory (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX scim_token_lookup_ix ON scim_token (token_lookup);
CREATE INDEX scim_token_directory_ix ON scim_token (directory_id, created_at);

-- A provisioned user. resource holds the SCIM attributes as the IdP sent them (never the password); the columns
-- beside it are what filters and uniqueness need. externalId belongs to the IdP and is only ever matched within its
-- directory; Roster's own keys are id, account_id and membership_id.
CREATE TABLE scim_user (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL,
    directory_id            UUID         NOT NULL,
    user_name               VARCHAR(320) NOT NULL,
    user_name_normalized    VARCHAR(320) NOT NULL,
    external_id             VARCHAR(320),
    display_name            VARCHAR(320),
    display_name_normalized VARCHAR(320),
    active                  BOOLEAN      NOT NULL,
    account_id              UUID         REFERENCES account (id),
    membership_id           UUID         REFERENCES membership (id),
    admin_granted           BOOLEAN      NOT NULL DEFAULT FALSE,
    resource                VARCHAR      NOT NULL,
    version                 BIGINT       NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT scim_user_directory_fk FOREIGN KEY (organization_id, directory_id)
        REFERENCES scim_directory (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT scim_user_name_uq UNIQUE (directory_id, user_name_normalized)
);
CREATE INDEX scim_user_page_ix ON scim_user (directory_id, created_at, id);
CREATE INDEX scim_user_external_ix ON scim_user (directory_id, external_id);
CREATE INDEX scim_user_display_ix ON scim_user (directory_id, display_name_normalized);
CREATE INDEX scim_user_updated_ix ON scim_user (directory_id, updated_at);
CREATE INDEX scim_user_membership_ix ON scim_user (organization_id, membership_id);

-- The user's emails, one row per value, so emails[type eq "work"].value filters are indexed look-ups.
CREATE TABLE scim_user_email (
    user_id                 UUID         NOT NULL REFERENCES scim_user (id) ON DELETE CASCADE,
    position                INT          NOT NULL,
    directory_id            UUID         NOT NULL,
    value_normalized        VARCHAR(320) NOT NULL,
    type_normalized         VARCHAR(64),
    is_primary              BOOLEAN      NOT NULL,
    CONSTRAINT scim_user_email_pk PRIMARY KEY (user_id, position)
);
CREATE INDEX scim_user_email_value_ix ON scim_user_email (directory_id, value_normalized);

-- resource holds the group's attributes other than members; members live in scim_group_member so a group of
-- 100,000 members is never read whole unless a client asks for its members.
CREATE TABLE scim_group (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL,
    directory_id            UUID         NOT NULL,
    display_name            VARCHAR(320) NOT NULL,
    display_name_normalized VARCHAR(320) NOT NULL,
    external_id             VARCHAR(320),
    resource                VARCHAR      NOT NULL,
    version                 BIGINT       NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT scim_group_directory_fk FOREIGN KEY (organization_id, directory_id)
        REFERENCES scim_directory (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT scim_group_name_uq UNIQUE (directory_id, display_name_normalized)
);
CREATE INDEX scim_group_page_ix ON scim_group (directory_id, created_at, id);
CREATE INDEX scim_group_external_ix ON scim_group (directory_id, external_id);
CREATE INDEX scim_group_updated_ix ON scim_group (directory_id, updated_at);

CREATE TABLE scim_group_member (
    group_id                UUID         NOT NULL REFERENCES scim_group (id) ON DELETE CASCADE,
    user_id                 UUID         NOT NULL REFERENCES scim_user (id) ON DELETE CASCADE,
    directory_id            UUID         NOT NULL,
    CONSTRAINT scim_group_member_pk PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_group_member_user_ix ON scim_group_member (user_id, group_id);

-- Identity-provider group -> teams (and optionally admin). Shared by the channels that know groups:
-- source SCIM (source_id = scim_directory.id; match_by ID | EXTERNAL_ID | DISPLAY_NAME of a SCIM group) and
-- SSO (source_id = the SSO connection's id; match_by names the claim value it compares, e.g. VALUE).
-- match_value_normalized is lower-case for case-insensitive matches (ids, display names) and exact otherwise.
CREATE TABLE group_mapping (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    source                  VARCHAR(8)   NOT NULL,
    source_id               UUID         NOT NULL,
    match_by                VARCHAR(16)  NOT NULL,
    match_value             VARCHAR(320) NOT NULL,
    match_value_normalized  VARCHAR(320) NOT NULL,
    admin                   BOOLEAN      NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT group_mapping_org_id_uq UNIQUE (organization_id, id),
    CONSTRAINT group_mapping_match_uq UNIQUE (source, source_id, match_by, match_value_normalized)
);
CREATE INDEX group_mapping_source_ix ON group_mapping (organization_id, source, source_id);

CREATE TABLE group_mapping_team (
    mapping_id              UUID         NOT NULL,
    organization_id         UUID         NOT NULL,
    team_id                 UUID         NOT NULL,
    CONSTRAINT group_mapping_team_pk PRIMARY KEY (mapping_id, team_id),
    CONSTRAINT group_mapping_team_mapping_fk FOREIGN KEY (organization_id, mapping_id)
        REFERENCES group_mapping (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT group_mapping_team_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX group_mapping_team_team_ix ON group_mapping_team (team_id);

-- on_deactivate: SUSPEND (default when no row) | REMOVE: what SCIM active=false does to the membership.
CREATE TABLE scim_settings (
    organization_id         UUID PRIMARY KEY REFERENCES organization (id),
    on_deactivate           VARCHAR(16)  NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every SCIM request per directory, bodies with secrets removed. Written outside the request's transaction so
-- failed requests are kept too; purged after roster.scim.request-log.retention. No foreign key on purpose: logging
-- must never fail a request.
CREATE TABLE scim_request_log (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL,
    directory_id            UUID         NOT NULL,
    occurred_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    method                  VARCHAR(10)  NOT NULL,
    path                    VARCHAR(2048) NOT NULL,
    query                   VARCHAR(4096),
    status                  INT          NOT NULL,
    duration_ms             INT          NOT NULL,
    request_body            VARCHAR,
    response_body           VARCHAR
);
CREATE INDEX scim_request_log_directory_ix ON scim_request_log (directory_id, occurred_at, id);
CREATE INDEX scim_request_log_time_ix ON scim_request_log (occurred_at);
