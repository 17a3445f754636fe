package dev.roster.sso.connection;

/**
 * What an SSO login does in an organization whose members a SCIM directory manages. LOGIN_ONLY (the default) signs
 * known members in and changes nothing, because SCIM owns membership and groups; PROVISION also applies access grants
 * and group mappings, for organizations that provision only some people through SCIM.
 */
public enum ScimPolicy {
    LOGIN_ONLY, PROVISION
}
