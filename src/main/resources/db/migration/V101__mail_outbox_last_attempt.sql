-- When the last delivery attempt began. The attempt is counted as the message is claimed, before it is sent, so a
-- message whose sending instance died, or whose server never answered, shows the attempt that may have reached it.
ALTER TABLE mail_outbox ADD COLUMN last_attempt_at TIMESTAMP WITH TIME ZONE;
