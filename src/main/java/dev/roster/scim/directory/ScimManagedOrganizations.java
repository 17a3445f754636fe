package dev.roster.scim.directory;

import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.sso.DirectoryManagedOrganizations;

/**
 * Tells single sign-on which organizations a SCIM directory manages: there, SCIM owns membership and groups, and an
 * SSO login only signs in people the directory already provisioned (unless the connection says otherwise).
 */
@Component
class ScimManagedOrganizations implements DirectoryManagedOrganizations {

    private final DirectoryRepository directories;

    ScimManagedOrganizations(DirectoryRepository directories) {
        this.directories = directories;
    }

    @Override
    @Transactional(readOnly = true)
    public boolean managesMembers(UUID organizationId) {
        return directories.count(organizationId) > 0;
    }
}
