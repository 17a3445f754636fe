-- An admin's test login through a connection: started from the connection's page, answered by the IdP like a real
-- sign-in, but nobody is signed in and nothing changes. result holds, as JSON, what the IdP asserted and what Roster
-- would have done; only the admin who started the test (account_id) can read it. The authentication request in flight
-- carries the test's id.
CREATE TABLE sso_test_login (
    id                      UUID PRIMARY KEY,
    organization_id         UUID          NOT NULL,
    connection_id           UUID          NOT NULL,
    account_id              UUID          NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at            TIMESTAMP WITH TIME ZONE,
    result                  VARCHAR,
    CONSTRAINT sso_test_login_connection_fk FOREIGN KEY (organization_id, connection_id)
        REFERENCES sso_connection (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sso_test_login_expiry_ix ON sso_test_login (expires_at);

ALTER TABLE sso_authn_request ADD COLUMN test_login UUID;
