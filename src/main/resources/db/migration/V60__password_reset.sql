-- Links that let a person who forgot their password choose a new one. Only the SHA-256 of the link's secret is
-- kept (found by its first half, compared whole in constant time, as API tokens are). A link works once, for a
-- limited time; a new password spends every link of the account.
CREATE TABLE password_reset (
    id                      UUID PRIMARY KEY,
    account_id              UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    token_lookup            VARCHAR(32)  NOT NULL,
    token_hash              VARCHAR(64)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at                 TIMESTAMP WITH TIME ZONE,
    CONSTRAINT password_reset_lookup_uq UNIQUE (token_lookup)
);
CREATE INDEX password_reset_account_ix ON password_reset (account_id, created_at);
