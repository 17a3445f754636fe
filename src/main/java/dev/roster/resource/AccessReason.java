package dev.roster.resource;

/** Why an account may or may not use a resource. The first that applies wins, in this order. */
public enum AccessReason {
    /** The account has no membership in this organization. */
    NOT_A_MEMBER("not-a-member", false),
    /** The account's membership was removed. */
    REMOVED("removed", false),
    /** The account's membership is suspended (by an admin or a directory). */
    SUSPENDED("suspended", false),
    /** Admins reach every resource of their organization. */
    ADMIN("admin", true),
    ORGANIZATION_SHARED("organization-shared", true),
    PERSONAL("personal", true),
    /** The member is in the team that owns the resource, through any grant (manual, SSO or SCIM). */
    TEAM("team", true),
    /** The member was added to the resource directly, with a role (viewer, editor or owner). */
    COLLABORATOR("collaborator", true),
    /** An active member with no claim on this resource. */
    NO_ACCESS("no-access", false);

    private final String code;
    private final boolean allowed;

    AccessReason(String code, boolean allowed) {
        this.code = code;
        this.allowed = allowed;
    }

    /** The stable value the API reports. */
    public String code() {
        return code;
    }

    public boolean allowed() {
        return allowed;
    }
}
