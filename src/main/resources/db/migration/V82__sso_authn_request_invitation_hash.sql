-- An invitation accepted through single sign-on is named, while the invitee is at their IdP, by the SHA-256 of its
-- link's token (as invitation.token_hash), never by the token itself. Sign-ins with an invitation in flight during
-- the upgrade (ten minutes at most) are dropped, so they start again from the link instead of losing it.
DELETE FROM sso_authn_request WHERE invitation_token IS NOT NULL;
ALTER TABLE sso_authn_request DROP COLUMN invitation_token;
ALTER TABLE sso_authn_request ADD COLUMN invitation_token_hash VARCHAR(64);
