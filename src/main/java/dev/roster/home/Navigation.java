package dev.roster.home;

import java.util.List;

import dev.roster.membership.OrgAccess;

/**
 * What the page header shows a signed-in person: their name, the organizations they can switch between, and the
 * ones they may manage from the menu. {@code current} is the organization the page belongs to, if any.
 */
public record Navigation(String displayName, List<OrgAccess> organizations, OrgAccess current) {

    public boolean isCurrent(OrgAccess organization) {
        return current != null && current.organizationId().equals(organization.organizationId());
    }

    /**
     * On an organization's pages, that organization if the person is its admin; elsewhere every organization they
     * administer, so the menu always leads to what the person can manage from where they are.
     */
    public List<OrgAccess> manageable() {
        if (current != null) {
            return current.admin() ? List.of(current) : List.of();
        }
        return organizations.stream().filter(OrgAccess::admin).toList();
    }
}
