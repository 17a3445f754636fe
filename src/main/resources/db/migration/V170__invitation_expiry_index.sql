-- The invitation expiry sweep (invitation.InvitationExpiry) looks for pending invitations whose time is up across
-- every organization, oldest expiry first; without this index that is a scan of every invitation each minute.
CREATE INDEX invitation_status_expiry_ix ON invitation (status, expires_at);
