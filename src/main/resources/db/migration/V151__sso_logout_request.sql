-- LogoutRequests Roster sent to an IdP and awaits the answer to (docs/sso.md, "Single logout"). Found by the
-- RelayState the IdP echoes, spent on first use; the LogoutResponse must answer request_id (InResponseTo). Rows are
-- kept ten minutes; expired ones are deleted when new ones are written.
CREATE TABLE sso_logout_request (
    relay_state    VARCHAR(100) PRIMARY KEY,
    connection_id  UUID         NOT NULL REFERENCES sso_connection (id) ON DELETE CASCADE,
    request_id     VARCHAR(100) NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sso_logout_request_expires_ix ON sso_logout_request (expires_at);
