-- A collaborator place waiting for an invitation to be accepted ("invite": true): when the invitee accepts and
-- becomes a member, the place is made for their membership in the acceptance's transaction, and this row goes.
CREATE TABLE resource_collaborator_invitation (
    organization_id         UUID         NOT NULL,
    invitation_id           UUID         NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    resource_id             UUID         NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    role                    VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT resource_collaborator_invitation_pk PRIMARY KEY (invitation_id, resource_id)
);
CREATE INDEX resource_collaborator_invitation_resource_ix ON resource_collaborator_invitation (resource_id);
