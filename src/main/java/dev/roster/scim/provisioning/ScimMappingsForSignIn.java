package dev.roster.scim.provisioning;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.sso.DirectoryGroupMappings;

/** Lets single sign-on apply the group→team mappings admins made for SCIM groups, for the same IdP groups. */
@Component
class ScimMappingsForSignIn implements DirectoryGroupMappings {

    private final GroupMappingRepository mappings;
    private final ScimGroupRepository groups;

    ScimMappingsForSignIn(GroupMappingRepository mappings, ScimGroupRepository groups) {
        this.mappings = mappings;
        this.groups = groups;
    }

    @Override
    @Transactional(readOnly = true)
    public Grants forGroupClaims(UUID organizationId, Collection<String> groupClaimValues) {
        GroupMappingRepository.ClaimGrants grants = mappings.forGroupClaims(organizationId, groupClaimValues);
        return new Grants(grants.teams(), grants.admin());
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, String> groupNames(UUID organizationId, Collection<String> groupClaimValues) {
        return groups.displayNamesByExternalId(organizationId, groupClaimValues);
    }
}
