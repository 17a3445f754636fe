package dev.roster.webhook;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.PageQuery;

/** What delivery needs to know about an organization: its slug (for the events' JSON), name and admins. */
@Component
class WebhookOrganizations {

    private final OrganizationService organizations;
    private final MemberReads members;
    // Slugs never change once an organization exists, so they are kept once read.
    private final Map<UUID, String> slugs = new ConcurrentHashMap<>();

    WebhookOrganizations(OrganizationService organizations, MemberReads members) {
        this.organizations = organizations;
        this.members = members;
    }

    String slug(UUID organizationId) {
        return slugs.computeIfAbsent(organizationId, id -> organizations.get(id).slug());
    }

    Organization organization(UUID organizationId) {
        return organizations.get(organizationId);
    }

    /** The addresses of the organization's active admins (at most the first 100). */
    List<String> adminEmails(UUID organizationId) {
        return members.list(organizationId, new MemberReads.MemberFilter(null, MembershipStatus.ACTIVE, true, null),
                new PageQuery(0, 100)).items().stream().map(Member::email).toList();
    }
}
