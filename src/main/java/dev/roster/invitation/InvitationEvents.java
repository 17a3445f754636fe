package dev.roster.invitation;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;

/**
 * The {@code invitation.*} events (docs/events.md), published inside the transaction of the change with the
 * invitation as the admin API shows it after the change. Every place that changes an invitation's status calls these,
 * so each invitation has at most one event per transition: created, then one of accepted, revoked or expired.
 */
@Component
class InvitationEvents {

    private final Events events;
    private final InvitationRepository invitations;
    private final InvitationViews views;
    private final Clock clock;

    InvitationEvents(Events events, InvitationRepository invitations, InvitationViews views, Clock clock) {
        this.events = events;
        this.invitations = invitations;
        this.views = views;
        this.clock = clock;
    }

    void created(UUID organizationId, UUID invitationId, Actor actor) {
        publish(EventType.INVITATION_CREATED, organizationId, invitationId, actor);
    }

    void accepted(UUID organizationId, UUID invitationId, Actor actor) {
        publish(EventType.INVITATION_ACCEPTED, organizationId, invitationId, actor);
    }

    void revoked(UUID organizationId, UUID invitationId, Actor actor) {
        publish(EventType.INVITATION_REVOKED, organizationId, invitationId, actor);
    }

    /** The invitation ran out: only the transaction that marked it so (the sweep, or a new invitation) calls this. */
    void expired(UUID organizationId, UUID invitationId, Actor actor) {
        publish(EventType.INVITATION_EXPIRED, organizationId, invitationId, actor);
    }

    /** Expired invitations about to be deleted, as they are now. */
    void expired(UUID organizationId, List<InvitationRow> rows, Actor actor) {
        if (rows.isEmpty()) {
            return;
        }
        List<Invitation> shown = views.views(organizationId, rows, clock.instant());
        shown.forEach(invitation -> events.publish(organizationId, EventType.INVITATION_EXPIRED, actor, invitation));
    }

    private void publish(EventType type, UUID organizationId, UUID invitationId, Actor actor) {
        InvitationRow row = invitations.find(organizationId, invitationId)
                .orElseThrow(() -> new IllegalStateException("invitation " + invitationId + " not found"));
        events.publish(organizationId, type, actor, views.view(row, clock.instant()));
    }
}
