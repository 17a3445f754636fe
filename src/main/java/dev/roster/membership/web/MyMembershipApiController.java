package dev.roster.membership.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.membership.MemberReads;
import dev.roster.membership.MemberView;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;

/**
 * The caller's own membership in an organization, shaped as the admins' member view (its admin sources too): any
 * active member may read it.
 */
@RestController
class MyMembershipApiController {

    private final MemberReads directory;

    MyMembershipApiController(MemberReads directory) {
        this.directory = directory;
    }

    record OrganizationRef(UUID id, String slug, String name) {
    }

    record MyMembership(OrganizationRef organization, UUID id, UUID accountId, String email, String displayName,
                        boolean admin, List<String> adminSources, boolean adminManagedByDirectory, String status,
                        String source, List<MemberView.TeamGrantView> teams, Instant joinedAt) {
    }

    @MemberAccess
    @GetMapping("/api/v1/orgs/{slug}/me")
    MyMembership me(OrgContext org) {
        MemberView member = directory.member(org.organizationId(), org.membershipId()).map(MemberView::of)
                .orElseThrow(() -> new NotFoundException("Member not found."));
        return new MyMembership(new OrganizationRef(org.organizationId(), org.slug(), org.organizationName()),
                member.id(), member.accountId(), member.email(), member.displayName(), member.admin(),
                member.adminSources(), member.adminManagedByDirectory(), member.status(), member.source(), member.teams(), member.joinedAt());
    }
}
