package dev.roster.sso;

import java.util.Optional;
import java.util.UUID;

import dev.roster.membership.LockedMembership;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;

/**
 * Implemented by the invitation module so that an invitee sent to their IdP (see
 * {@link SsoRouting#invitationLoginUrl}) is joined when they come back. SSO calls it inside its sign-in transaction
 * after checking that the asserted address equals the invitation's (case-insensitive). The invitation is named by the
 * SHA-256 (hex) of its link's token: that is all SSO keeps while the invitee is at their IdP.
 */
public interface SsoInvitationHandler {

    /** A pending invitation as SSO needs it. */
    record PendingInvitation(UUID organizationId, EmailAddress email) {
    }

    /** The pending, unexpired invitation whose link's token has this SHA-256. */
    Optional<PendingInvitation> pending(String invitationTokenHash);

    /**
     * {@link #pending}, the invitation's row locked ({@code SELECT … FOR UPDATE}) until the caller's transaction
     * ends: a sign-in that goes on to accept it locks the invitation before the membership, the order in which every
     * acceptance locks them (docs/architecture.md, lock order).
     */
    Optional<PendingInvitation> lockPending(String invitationTokenHash);

    /**
     * Accepts the invitation for the account (which SSO has just created or found for the asserted address): joins
     * the organization with the invitation's teams and admin flag, and marks it accepted. For an invitation to another
     * organization than the sign-in's, whose membership the sign-in does not hold.
     */
    void accept(String invitationTokenHash, UUID accountId, Actor actor);

    /**
     * {@link #accept(String, UUID, Actor)} for the account whose membership of the invitation's organization the
     * caller has locked (after the invitation, {@link #lockPending}): the join is made on that row without reading it
     * again, and {@code locked} holds the result.
     */
    void accept(String invitationTokenHash, LockedMembership locked, Actor actor);
}
