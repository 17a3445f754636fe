-- Team quotas on environments: how many leases a team may hold at once on one environment. A team without a row
-- uses the environment's default_team_quota; without that, it is unlimited.
ALTER TABLE resource ADD COLUMN default_team_quota INTEGER;

CREATE TABLE team_quota (
    organization_id         UUID         NOT NULL,
    team_id                 UUID         NOT NULL,
    environment_id          UUID         NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    max_concurrent          INTEGER      NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT team_quota_pk PRIMARY KEY (team_id, environment_id),
    CONSTRAINT team_quota_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX team_quota_environment_ix ON team_quota (environment_id);

-- A lease holds one of a team's places on an environment until expires_at; an expired lease frees its place by
-- itself (every count compares expires_at with now), and a purge deletes old ones. Acquisitions on one environment
-- are serialized by a row lock on the environment's resource row (see Leases).
CREATE TABLE lease (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL,
    environment_id          UUID         NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    team_id                 UUID         NOT NULL,
    membership_id           UUID         NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    account_id              UUID         NOT NULL,
    acquired_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT lease_team_fk FOREIGN KEY (organization_id, team_id)
        REFERENCES team (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX lease_environment_team_ix ON lease (environment_id, team_id, expires_at);
CREATE INDEX lease_expiry_ix ON lease (expires_at);
