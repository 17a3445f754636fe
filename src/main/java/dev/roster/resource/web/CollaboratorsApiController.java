package dev.roster.resource.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.resource.Collaborator;
import dev.roster.resource.CollaboratorRole;
import dev.roster.resource.Collaborators;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.web.WireNames;

/**
 * A resource's collaborators. Open to members because non-admins manage them too (the owner of a personal resource,
 * owner-role collaborators, maintainers of the owning team); {@link Collaborators} decides who may, per resource.
 */
@RestController
@MemberAccess
@RequestMapping("/api/v1/orgs/{slug}/resources/{id}/collaborators")
class CollaboratorsApiController {

    private final Collaborators collaborators;

    CollaboratorsApiController(Collaborators collaborators) {
        this.collaborators = collaborators;
    }

    /** {@code member} (a membership id) or {@code email}, and the role. */
    record NewCollaborator(String member, String email, String role, Boolean invite) {
    }

    record RoleChange(String role) {
    }

    record CollaboratorView(UUID member, UUID accountId, String email, String displayName, String role,
                            String status, Instant addedAt, Instant updatedAt) {

        static CollaboratorView of(Collaborator c) {
            return new CollaboratorView(c.membershipId(), c.accountId(), c.email(), c.displayName(),
                    WireNames.of(c.role()), WireNames.of(c.status()), c.addedAt(), c.updatedAt());
        }
    }

    /** A place that an invitation makes when it is accepted. */
    record InvitedView(UUID invitation, String email, String role, String status) {

        static InvitedView of(Collaborators.Invited invited) {
            return new InvitedView(invited.invitationId(), invited.email(), WireNames.of(invited.role()), "invited");
        }
    }

    /** The collaborators, and the places waiting for pending invitations. */
    record CollaboratorList(List<CollaboratorView> items, List<InvitedView> invited) {
    }

    @GetMapping
    CollaboratorList list(OrgContext org, @PathVariable UUID id) {
        return new CollaboratorList(collaborators.list(org.organizationId(), id, org.membershipId()).stream()
                .map(CollaboratorView::of).toList(),
                collaborators.invited(org.organizationId(), id, org.membershipId()).stream()
                        .map(InvitedView::of).toList());
    }

    /**
     * 201 with the collaborator; with {@code "invite": true} and an address that is no member's yet (admins only),
     * 202 with the invitation that makes the place when it is accepted.
     */
    @PostMapping
    ResponseEntity<?> add(OrgContext org, @PathVariable UUID id, @RequestBody NewCollaborator body) {
        if (Boolean.TRUE.equals(body.invite())) {
            if (body.member() != null && !body.member().isBlank()) {
                throw InvalidRequestException.field("invite", "invite goes with email, not with member.");
            }
            Object result = collaborators.addOrInvite(org.organizationId(), id, body.email(), role(body.role()),
                    org.membershipId(), org.actor());
            if (result instanceof Collaborators.Invited invited) {
                return ResponseEntity.accepted().body(InvitedView.of(invited));
            }
            Collaborator added = (Collaborator) result;
            return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/resources/" + id
                    + "/collaborators/" + added.membershipId())).body(CollaboratorView.of(added));
        }
        UUID member = null;
        if (body.member() != null && !body.member().isBlank()) {
            member = Ids.parse(body.member().trim()).orElseThrow(() -> InvalidRequestException.field("member",
                    "member must be the id of a member of this organization."));
        }
        Collaborator added = collaborators.add(org.organizationId(), id,
                new Collaborators.Target(member, body.email()), role(body.role()), org.membershipId(), org.actor());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/resources/" + id
                + "/collaborators/" + added.membershipId())).body(CollaboratorView.of(added));
    }

    @PatchMapping("/{memberId}")
    CollaboratorView change(OrgContext org, @PathVariable UUID id, @PathVariable UUID memberId,
                            @RequestBody RoleChange body) {
        return CollaboratorView.of(collaborators.changeRole(org.organizationId(), id, memberId, role(body.role()),
                org.membershipId(), org.actor()));
    }

    @DeleteMapping("/{memberId}")
    ResponseEntity<Void> remove(OrgContext org, @PathVariable UUID id, @PathVariable UUID memberId) {
        collaborators.remove(org.organizationId(), id, memberId, org.membershipId(), org.actor());
        return ResponseEntity.noContent().build();
    }

    private static CollaboratorRole role(String value) {
        CollaboratorRole role = WireNames.parse(CollaboratorRole.class, value, "role");
        if (role == null) {
            throw InvalidRequestException.field("role", "role is required: viewer, editor or owner.");
        }
        return role;
    }
}
