package dev.roster.resource.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.roster.membership.MemberReads;
import dev.roster.resource.ResourceAccess;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;

/**
 * A member's read-only home in an organization: its name, their teams, and the resources they reach. It lives with
 * resources rather than members because it shows both, and resources already depend on membership (the reverse
 * would be a cycle between the two modules).
 */
@Controller
class OrganizationOverviewController {

    private static final PageQuery FIRST_PAGE = new PageQuery(0, 100);

    private final MemberReads members;
    private final ResourceAccess access;

    OrganizationOverviewController(MemberReads members, ResourceAccess access) {
        this.members = members;
        this.access = access;
    }

    @MemberAccess
    @GetMapping("/orgs/{slug}")
    String overview(OrgContext org, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("teams", members.teams(org.organizationId(), org.membershipId()));
        model.addAttribute("resources", access.accessible(org.organizationId(), org.membershipId(), null, FIRST_PAGE)
                .map(r -> ResourceView.Reachable.of(r, org)));
        return "resource/organization-overview";
    }
}
