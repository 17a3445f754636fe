package dev.roster.invitation;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.membership.LockedMembership;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.sso.SsoInvitationHandler;

/**
 * Completes an invitation for a person who accepted it through their organization's identity provider. Single
 * sign-on has already checked that the asserted address is the invited one.
 */
@Component
class SsoInvitations implements SsoInvitationHandler {

    private final InvitationAcceptance acceptance;
    private final OrganizationService organizations;

    SsoInvitations(InvitationAcceptance acceptance, OrganizationService organizations) {
        this.acceptance = acceptance;
        this.organizations = organizations;
    }

    @Override
    public Optional<PendingInvitation> pending(String invitationTokenHash) {
        // Asked, not caught: single sign-on calls this inside its own transaction, which an exception thrown by the
        // transactional InvitationAcceptance would mark rollback-only (and the sign-in would end in a 500).
        return acceptance.pendingByTokenHash(invitationTokenHash).flatMap(this::pending);
    }

    @Override
    public Optional<PendingInvitation> lockPending(String invitationTokenHash) {
        return acceptance.lockPendingByTokenHash(invitationTokenHash).flatMap(this::pending);
    }

    private Optional<PendingInvitation> pending(InvitationPreview preview) {
        return organizations.findBySlug(preview.organizationSlug())
                .map(org -> new PendingInvitation(org.id(), new EmailAddress(preview.email())));
    }

    @Override
    public void accept(String invitationTokenHash, UUID accountId, Actor actor) {
        acceptance.acceptAsAccountByTokenHash(invitationTokenHash, accountId);
    }

    @Override
    public void accept(String invitationTokenHash, LockedMembership locked, Actor actor) {
        acceptance.acceptAsAccountByTokenHash(invitationTokenHash, locked);
    }
}
