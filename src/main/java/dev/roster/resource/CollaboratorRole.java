package dev.roster.resource;

/**
 * A collaborator's role on one resource. Roster records it and answers it with every decision; what a viewer or an
 * editor may do inside the resource is the host application's to enforce. Owners also manage the resource's
 * collaborators.
 */
public enum CollaboratorRole {
    VIEWER, EDITOR, OWNER
}
