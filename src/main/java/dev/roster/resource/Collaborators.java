package dev.roster.resource;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.invitation.InvitationAccepted;
import dev.roster.invitation.InvitationService;
import dev.roster.invitation.InviteResult;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MemberRemoved;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/**
 * A resource's collaborators: members added to it directly, each with a role. Who manages them: admins, the member
 * who owns a personal resource, the resource's owner-role collaborators, and maintainers of the team that owns it.
 * Everyone else (a viewer or editor, a maintainer of another team) is refused, so no one raises their own role.
 * Every change locks the resource row first, so concurrent changes to one resource's collaborators queue.
 */
@Service
@Transactional
public class Collaborators {

    private final ResourceRepository resources;
    private final CollaboratorRepository collaborators;
    private final MemberReads members;
    private final ResourceEvents events;
    private final QuotaRepository leases;
    private final InvitationService invitations;
    private final AuditLog audit;
    private final Clock clock;

    Collaborators(ResourceRepository resources, CollaboratorRepository collaborators, MemberReads members,
                  ResourceEvents events, QuotaRepository leases, InvitationService invitations, AuditLog audit,
                  Clock clock) {
        this.resources = resources;
        this.collaborators = collaborators;
        this.members = members;
        this.events = events;
        this.leases = leases;
        this.invitations = invitations;
        this.audit = audit;
        this.clock = clock;
    }

    /** A place waiting for an invitation: made for the invitee when they accept. */
    public record Invited(UUID invitationId, String email, CollaboratorRole role) {
    }

    /**
     * Adds the address as a collaborator: at once when it is a member's, else through an invitation to the
     * organization that makes the place when it is accepted (an open invitation to the address is reused). Inviting
     * someone into the organization is an admin's decision, so only admins may have an address invited here.
     * Answers the collaborator, or the invitation when one was needed.
     */
    public Object addOrInvite(UUID organizationId, UUID resourceId, String email, CollaboratorRole role,
                              UUID callerMembershipId, Actor actor) {
        Resource resource = lock(organizationId, resourceId);
        requireManager(organizationId, resource, callerMembershipId);
        if (email == null || email.isBlank() || !EmailAddress.isValid(email.trim())) {
            throw InvalidRequestException.field("email", "Give the email address of the person to invite.");
        }
        if (role == null) {
            throw InvalidRequestException.field("role", "role is required: viewer, editor or owner.");
        }
        if (members.liveByAddress(organizationId, EmailAddress.normalize(email)).isPresent()) {
            return add(organizationId, resourceId, new Target(null, email), role, callerMembershipId, actor);
        }
        boolean admin = members.find(organizationId, callerMembershipId).map(Membership::admin).orElse(false);
        if (!admin) {
            throw new ForbiddenException("admin-required", "Only admins invite people into the organization. Ask "
                    + "an admin to invite " + email.trim() + ", then add them once they have joined.");
        }
        InviteResult result = invitations.invite(organizationId, List.of(email.trim()), List.of(), false, actor)
                .get(0);
        if (result.invitationId() == null) {
            throw InvalidRequestException.field("email", "This address cannot be invited (" + result.result()
                    .apiName() + ").");
        }
        collaborators.upsertInvited(organizationId, result.invitationId(), resource.id(), role, clock.instant());
        audit.record(organizationId, actor, "resource.collaborator-invited", target(resource), null,
                state(email.trim(), role));
        return new Invited(result.invitationId(), email.trim(), role);
    }

    /** The places waiting for pending invitations, for those who manage the resource. */
    @Transactional(readOnly = true)
    public List<Invited> invited(UUID organizationId, UUID resourceId, UUID callerMembershipId) {
        Resource resource = resources.find(organizationId, resourceId).orElseThrow(ResourceService::notFound);
        requireManager(organizationId, resource, callerMembershipId);
        return collaborators.invited(organizationId, resource.id(), clock.instant()).stream()
                .map(p -> new Invited(p.invitationId(), p.email(), p.role())).toList();
    }

    /**
     * An invitation that was waiting to make collaborator places was accepted: the places are made for the new
     * membership, in the acceptance's transaction.
     */
    @EventListener
    void invitationAccepted(InvitationAccepted accepted) {
        Instant now = clock.instant();
        for (CollaboratorRepository.InvitedPlace place : collaborators.takeInvited(accepted.organizationId(),
                accepted.invitationId())) {
            Resource resource = resources.find(accepted.organizationId(), place.resourceId()).orElse(null);
            if (resource == null || collaborators.find(accepted.organizationId(), resource.id(),
                    accepted.membershipId()).isPresent()) {
                continue;
            }
            collaborators.insert(accepted.organizationId(), resource.id(), accepted.membershipId(), place.role(), now);
            Collaborator added = collaborators.find(accepted.organizationId(), resource.id(),
                    accepted.membershipId()).orElseThrow();
            Actor actor = Actor.system("invitation accepted");
            audit.record(accepted.organizationId(), actor, "resource.collaborator-added", target(resource), null,
                    state(added.email(), place.role()));
            events.collaboratorChanged(resource, accepted.membershipId(), added.email(), null, place.role(), null,
                    actor);
        }
    }

    /** Who is to become a collaborator: a membership id, or an address of a member. Exactly one is given. */
    public record Target(UUID membershipId, String email) {
    }

    /** The resource and whether the caller manages its collaborators; 404 when it is not this organization's. */
    public record Standing(Resource resource, boolean manages, CollaboratorRole role) {
    }

    @Transactional(readOnly = true)
    public Standing standing(UUID organizationId, UUID resourceId, UUID callerMembershipId) {
        Resource resource = resources.find(organizationId, resourceId).orElseThrow(ResourceService::notFound);
        CollaboratorRepository.Standing standing = standingOf(organizationId, resource, callerMembershipId);
        return new Standing(resource, manages(organizationId, resource, callerMembershipId, standing),
                standing.role());
    }

    @Transactional(readOnly = true)
    public List<Collaborator> list(UUID organizationId, UUID resourceId, UUID callerMembershipId) {
        Resource resource = resources.find(organizationId, resourceId).orElseThrow(ResourceService::notFound);
        requireManager(organizationId, resource, callerMembershipId);
        return collaborators.list(organizationId, resource.id());
    }

    public Collaborator add(UUID organizationId, UUID resourceId, Target target, CollaboratorRole role,
                            UUID callerMembershipId, Actor actor) {
        Resource resource = lock(organizationId, resourceId);
        requireManager(organizationId, resource, callerMembershipId);
        if (role == null) {
            throw InvalidRequestException.field("role", "role is required: viewer, editor or owner.");
        }
        UUID membershipId = resolve(organizationId, target);
        if (collaborators.find(organizationId, resource.id(), membershipId).isPresent()) {
            throw new ConflictException("collaborator-exists", "This member is already a collaborator of "
                    + resource.name() + ". Change their role instead.");
        }
        Instant now = clock.instant();
        collaborators.insert(organizationId, resource.id(), membershipId, role, now);
        Collaborator added = collaborators.find(organizationId, resource.id(), membershipId).orElseThrow();
        audit.record(organizationId, actor, "resource.collaborator-added", target(resource), null,
                state(added.email(), role));
        events.collaboratorChanged(resource, membershipId, added.email(), null, role, null, actor);
        return added;
    }

    public Collaborator changeRole(UUID organizationId, UUID resourceId, UUID membershipId, CollaboratorRole role,
                                   UUID callerMembershipId, Actor actor) {
        Resource resource = lock(organizationId, resourceId);
        requireManager(organizationId, resource, callerMembershipId);
        if (role == null) {
            throw InvalidRequestException.field("role", "role is required: viewer, editor or owner.");
        }
        Collaborator current = collaborators.find(organizationId, resource.id(), membershipId)
                .orElseThrow(Collaborators::notACollaborator);
        if (current.role() == role) {
            return current;
        }
        collaborators.updateRole(organizationId, resource.id(), membershipId, role, clock.instant());
        audit.record(organizationId, actor, "resource.collaborator-changed", target(resource),
                state(current.email(), current.role()), state(current.email(), role));
        events.collaboratorChanged(resource, membershipId, current.email(), current.role(), role, null, actor);
        return collaborators.find(organizationId, resource.id(), membershipId).orElseThrow();
    }

    /** Managers remove anyone; a collaborator may also leave on their own. */
    public void remove(UUID organizationId, UUID resourceId, UUID membershipId, UUID callerMembershipId, Actor actor) {
        Resource resource = lock(organizationId, resourceId);
        if (!membershipId.equals(callerMembershipId)) {
            requireManager(organizationId, resource, callerMembershipId);
        }
        Collaborator current = collaborators.find(organizationId, resource.id(), membershipId)
                .orElseThrow(Collaborators::notACollaborator);
        collaborators.delete(organizationId, resource.id(), membershipId);
        audit.record(organizationId, actor, "resource.collaborator-removed", target(resource),
                state(current.email(), current.role()), null);
        events.collaboratorChanged(resource, membershipId, current.email(), current.role(), null, null, actor);
    }

    /**
     * A removed member loses every collaborator place (and every lease), in the removal's own transaction, so the
     * places end with the membership and a member who is brought back later starts without them.
     */
    @EventListener
    void memberRemoved(MemberRemoved removed) {
        // The places their leases held come free at once rather than at expiry.
        leases.deleteLeasesOf(removed.organizationId(), removed.membershipId());
        List<Resource> places = collaborators.deleteAllOf(removed.organizationId(), removed.membershipId());
        for (Resource resource : places) {
            events.collaboratorChanged(resource, removed.membershipId(), null, null, null, "member-removed",
                    Actor.system("membership removal"));
        }
    }

    private UUID resolve(UUID organizationId, Target target) {
        boolean byId = target.membershipId() != null;
        boolean byEmail = target.email() != null && !target.email().isBlank();
        if (byId == byEmail) {
            throw InvalidRequestException.field("member", "Give either member (a membership id) or email.");
        }
        if (byId) {
            Membership member = members.find(organizationId, target.membershipId())
                    .filter(m -> m.status() != MembershipStatus.REMOVED)
                    .orElseThrow(() -> InvalidRequestException.field("member",
                            "No member with this id in this organization."));
            requireActive(member.status());
            return member.id();
        }
        String email = target.email().trim();
        if (!EmailAddress.isValid(email)) {
            throw InvalidRequestException.field("email", "This is not an email address.");
        }
        Membership member = members.liveByAddress(organizationId, EmailAddress.normalize(email))
                .orElseThrow(() -> new NotAMemberYetException(email));
        requireActive(member.status());
        return member.id();
    }

    private static void requireActive(MembershipStatus status) {
        if (status == MembershipStatus.SUSPENDED) {
            throw new ConflictException("member-suspended",
                    "This member is suspended. An admin must reactivate them before they can collaborate.");
        }
    }

    /**
     * The member's standing on the resource: their collaborator role (or null), and whether they hold the maintainer
     * role in the team that owns it (false for a resource no team owns).
     */
    private CollaboratorRepository.Standing standingOf(UUID organizationId, Resource resource, UUID membershipId) {
        boolean maintainer = resource.owner().type() == OwnerType.TEAM
                && members.isMaintainer(organizationId, resource.owner().id(), membershipId);
        return new CollaboratorRepository.Standing(collaborators.role(organizationId, resource.id(), membershipId),
                maintainer);
    }

    private void requireManager(UUID organizationId, Resource resource, UUID callerMembershipId) {
        if (!manages(organizationId, resource, callerMembershipId,
                standingOf(organizationId, resource, callerMembershipId))) {
            throw new ForbiddenException("not-resource-manager", "Only admins, the owner of " + resource.name()
                    + " and maintainers of the team that owns it manage its collaborators.");
        }
    }

    /** The caller's current membership decides, read now: an admin demoted a moment ago is no longer one. */
    private boolean manages(UUID organizationId, Resource resource, UUID callerMembershipId,
                            CollaboratorRepository.Standing standing) {
        Membership caller = members.find(organizationId, callerMembershipId).filter(Membership::isActive)
                .orElse(null);
        if (caller == null) {
            return false;
        }
        if (caller.admin()) {
            return true;
        }
        if (resource.owner().equals(ResourceOwner.member(caller.id()))) {
            return true;
        }
        return standing.role() == CollaboratorRole.OWNER || standing.maintainer();
    }

    private Resource lock(UUID organizationId, UUID resourceId) {
        return resources.lock(organizationId, resourceId).orElseThrow(ResourceService::notFound);
    }

    private static NotFoundException notACollaborator() {
        return new NotFoundException("This member is not a collaborator of this resource.");
    }

    private static AuditTarget target(Resource resource) {
        return AuditTarget.of("resource", resource.id(), resource.name());
    }

    private static Map<String, Object> state(String email, CollaboratorRole role) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("collaborator", email);
        state.put("role", role.name());
        return state;
    }
}
