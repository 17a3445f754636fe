package dev.roster.membership.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MemberView;
import dev.roster.membership.MemberReads.MemberFilter;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamRole;
import dev.roster.membership.GrantSource;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;

/**
 * The organization's members, for admins: list and search, promote and demote, suspend and reactivate, remove, and
 * the teams an admin grants by hand. The member list is admin-only (it holds everyone's email address); a member
 * sees their own membership at {@code /api/v1/orgs/{slug}/me}.
 */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/members")
class MembersApiController {

    private final MemberReads directory;
    private final MembershipService memberships;

    MembersApiController(MemberReads directory, MembershipService memberships) {
        this.directory = directory;
        this.memberships = memberships;
    }

    /** The body of adding a team by hand; absent, the member's role stays (a new place is a plain member's). */
    record TeamPlace(String role) {
    }

    record AdminChange(@NotNull(message = "admin is required (true or false)") Boolean admin) {
    }

    /**
     * A page of members, and {@code next}: the {@code after} that asks for the page following this one (null after the
     * last page). Paging by {@code after} costs the same at any depth; {@code page} numbers read past what they skip.
     */
    record MembersPage(List<MemberView> items, int page, int size, long total, String next) {
    }

    @GetMapping
    MembersPage list(OrgContext org, @RequestParam(required = false) String search,
                     @RequestParam(required = false) String status,
                     @RequestParam(required = false) Boolean admin,
                     @RequestParam(required = false) UUID team,
                     @RequestParam(required = false) Integer page,
                     @RequestParam(required = false) Integer size,
                     @RequestParam(required = false) String after) {
        MembershipStatus wanted = WireNames.parse(MembershipStatus.class, status, "status");
        if (wanted == MembershipStatus.REMOVED) {
            throw InvalidRequestException.field("status", "status must be active or suspended.");
        }
        if (after != null && page != null && page != 0) {
            throw InvalidRequestException.field("after", "Give after or page, not both.");
        }
        PageResult<Member> found = directory.list(org.organizationId(), new MemberFilter(search, wanted, admin, team),
                PageQuery.of(page, size), after == null ? null : MemberCursor.decode(after));
        String next = found.items().size() < found.size() ? null
                : MemberCursor.encode(MemberReads.Position.after(found.items().get(found.items().size() - 1)));
        return new MembersPage(found.items().stream().map(MemberView::of).toList(), found.page(), found.size(),
                found.total(), next);
    }

    @GetMapping("/{id}")
    MemberView get(OrgContext org, @PathVariable UUID id) {
        return view(org, id);
    }

    /**
     * Grants or withdraws the admin's own (manual) admin grant. The member's {@code adminSources} tell the outcome of
     * a demotion beforehand: it withdraws the manual grant, and the member stays an admin while a directory's remains;
     * with a directory's grant and no manual one it is answered 409 {@code managed-by-directory}.
     */
    @PatchMapping("/{id}")
    MemberView changeAdmin(OrgContext org, @PathVariable UUID id, @Valid @RequestBody AdminChange change) {
        memberships.setAdmin(org.organizationId(), id, change.admin(), org.actor());
        return view(org, id);
    }

    @PostMapping("/{id}/suspend")
    MemberView suspend(OrgContext org, @PathVariable UUID id) {
        memberships.suspend(org.organizationId(), id, org.actor());
        return view(org, id);
    }

    @PostMapping("/{id}/reactivate")
    MemberView reactivate(OrgContext org, @PathVariable UUID id) {
        memberships.reactivate(org.organizationId(), id, org.actor());
        return view(org, id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> remove(OrgContext org, @PathVariable UUID id) {
        memberships.remove(org.organizationId(), id, org.actor());
        return ResponseEntity.noContent().build();
    }

    /**
     * Adds the member to a team by hand. Idempotent; a directory's grant of the same team stays independent. With
     * {@code {"role": "maintainer"}} (or {@code "member"}) the admin's grant carries that role.
     */
    @PutMapping("/{id}/teams/{teamId}")
    MemberView addTeam(OrgContext org, @PathVariable UUID id, @PathVariable UUID teamId,
                       @RequestBody(required = false) TeamPlace body) {
        TeamRole role = body == null ? null : WireNames.parse(TeamRole.class, body.role(), "role");
        if (role == null) {
            memberships.grantTeam(org.organizationId(), id, teamId, GrantSource.MANUAL, org.actor());
        }
        else {
            memberships.setTeamRole(org.organizationId(), id, teamId, role, GrantSource.MANUAL, org.actor());
        }
        return view(org, id);
    }

    /**
     * Withdraws the admin's own (manual) grant. 409 {@code managed-by-directory} when only SSO or SCIM puts the member
     * in the team: the directory would put them straight back, so the change belongs there.
     */
    @DeleteMapping("/{id}/teams/{teamId}")
    MemberView removeTeam(OrgContext org, @PathVariable UUID id, @PathVariable UUID teamId) {
        memberships.revokeTeam(org.organizationId(), id, teamId, GrantSource.MANUAL, org.actor());
        return view(org, id);
    }

    private MemberView view(OrgContext org, UUID id) {
        return directory.member(org.organizationId(), id).map(MemberView::of)
                .orElseThrow(() -> new NotFoundException("Member not found."));
    }
}
