package dev.roster.sso;

import java.util.UUID;

import dev.roster.sso.connection.ScimPolicy;

/**
 * Implemented by the SCIM module: whether a SCIM directory manages an organization's members. When one does, SSO
 * only signs people in (unless the connection's {@link ScimPolicy} says otherwise). Without an implementation in the
 * application, no organization is treated as directory-managed.
 */
public interface DirectoryManagedOrganizations {

    boolean managesMembers(UUID organizationId);
}
