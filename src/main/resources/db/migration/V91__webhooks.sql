-- Webhooks (docs/events.md): endpoints that receive their organization's events, and every attempt to deliver one.

-- A host application's endpoint. It reads its organization's stream in order: stream_position is the last position
-- it has been given (or skipped, not matching its event types). An event that fails holds the ones after it; its
-- position is failing_position until it is delivered. Secrets are encrypted (SecretCipher); the previous secret
-- still signs until previous_secret_until, after a rotation. Instances claim an endpoint (claimed_until, claim_id)
-- while they deliver to it, so one endpoint is served by one instance at a time, in order.
CREATE TABLE webhook_endpoint (
    id                      UUID PRIMARY KEY,
    organization_id         UUID         NOT NULL REFERENCES organization (id),
    url                     VARCHAR(2000) NOT NULL,
    description             VARCHAR(500),
    event_types             VARCHAR(2000) NOT NULL,
    enabled                 BOOLEAN      NOT NULL,
    disabled_reason         VARCHAR(32),
    secret                  VARCHAR(500) NOT NULL,
    previous_secret         VARCHAR(500),
    previous_secret_until   TIMESTAMP WITH TIME ZONE,
    stream_position         BIGINT       NOT NULL,
    failing_position        BIGINT,
    failures                INT          NOT NULL DEFAULT 0,
    next_attempt_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until           TIMESTAMP WITH TIME ZONE,
    claim_id                UUID,
    last_success_at         TIMESTAMP WITH TIME ZONE,
    last_failure_at         TIMESTAMP WITH TIME ZONE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_endpoint_org_ix ON webhook_endpoint (organization_id, created_at);
CREATE INDEX webhook_endpoint_due_ix ON webhook_endpoint (enabled, next_attempt_at);

-- Every attempt to deliver an event (or a test event) to an endpoint, with the answer's first kilobyte. Test events
-- are in no stream, so their payload is kept here; a stream event's payload is read from event by its position.
CREATE TABLE webhook_attempt (
    id                      UUID PRIMARY KEY,
    endpoint_id             UUID         NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    organization_id         UUID         NOT NULL,
    event_id                UUID         NOT NULL,
    event_type              VARCHAR(64)  NOT NULL,
    stream_position         BIGINT,
    trigger_kind            VARCHAR(16)  NOT NULL,
    attempted_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms             INT          NOT NULL,
    succeeded               BOOLEAN      NOT NULL,
    response_status         INT,
    response_body           VARCHAR(1024),
    error                   VARCHAR(1000),
    next_attempt_at         TIMESTAMP WITH TIME ZONE,
    payload                 VARCHAR
);
CREATE INDEX webhook_attempt_endpoint_ix ON webhook_attempt (endpoint_id, attempted_at);
CREATE INDEX webhook_attempt_time_ix ON webhook_attempt (attempted_at);
