-- The links a resend replaced, as hashes only (like invitation.token_hash), so that someone who opens an old link is
-- told a newer invitation was sent instead of being asked whether they copied the whole link. Kept while the
-- invitation exists.
CREATE TABLE invitation_replaced_link (
    token_hash              VARCHAR(64)  PRIMARY KEY,
    token_lookup            VARCHAR(32)  NOT NULL,
    organization_id         UUID         NOT NULL,
    invitation_id           UUID         NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    replaced_at             TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX invitation_replaced_link_lookup_ix ON invitation_replaced_link (token_lookup);
