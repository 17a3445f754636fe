-- A member's role in a team, per grant (role: MEMBER | MAINTAINER). The member's role is the highest of their
-- grants, so a maintainer role given with one source's grant ends with that grant, and a directory can later give
-- roles through its own grants without touching an admin's.
ALTER TABLE team_membership ADD COLUMN role VARCHAR(16) DEFAULT 'MEMBER' NOT NULL;

-- Collaborators: members added directly to one resource with a role (VIEWER | EDITOR | OWNER). Deleted with the
-- resource, and deleted when the member is removed (MembershipService publishes MemberRemoved in the removal's
-- transaction), so a member who comes back does not find their old places.
CREATE TABLE resource_collaborator (
    organization_id         UUID         NOT NULL,
    resource_id             UUID         NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    membership_id           UUID         NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    role                    VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT resource_collaborator_pk PRIMARY KEY (resource_id, membership_id)
);
-- What a member reaches as a collaborator, and the places removal deletes.
CREATE INDEX resource_collaborator_member_ix ON resource_collaborator (membership_id, resource_id);
