-- A pending AuthnRequest answers only the browser that started the sign-in (login CSRF): the SHA-256 of that
-- browser's binding cookie is kept with it, never the cookie itself. Requests in flight during the upgrade (ten
-- minutes at most) have no binding and are dropped; their sign-ins start again.
DELETE FROM sso_authn_request;
ALTER TABLE sso_authn_request ADD COLUMN browser_binding VARCHAR(64) NOT NULL;
