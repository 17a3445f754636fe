package dev.roster.operator;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.invitation.InvitationService;
import dev.roster.invitation.InviteResult;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/** What the operator does that spans modules: a new organization and the invitation of its first admin, together. */
@Service
public class OperatorService {

    private final OrganizationService organizations;
    private final InvitationService invitations;

    OperatorService(OrganizationService organizations, InvitationService invitations) {
        this.organizations = organizations;
        this.invitations = invitations;
    }

    /** A new organization and its first admin's invitation, in one transaction: both or neither. */
    public record Created(Organization organization, InviteResult invitation) {
    }

    /**
     * Creates the organization and invites {@code adminEmail} as its admin, through the invitation write path like any
     * admin's invitation: one email with a link; accepting it makes them the organization's first admin.
     */
    @Transactional
    public Created create(String slug, String name, String adminEmail, Actor actor) {
        Optional<EmailAddress> email = EmailAddress.parse(adminEmail);
        if (email.isEmpty()) {
            throw InvalidRequestException.field("adminEmail", "The first admin's email address is not valid.");
        }
        Organization org = organizations.createForOperator(slug, name, actor);
        return new Created(org, inviteAdmin(org, email.get(), actor));
    }

    /**
     * Invites an admin to a live organization: the first one again when their invitation lapsed, or another when the
     * customer lost theirs. An address already invited is answered {@code already_invited} (resend is the admins').
     */
    @Transactional
    public InviteResult inviteAdmin(String slug, String adminEmail, Actor actor) {
        Optional<EmailAddress> email = EmailAddress.parse(adminEmail);
        if (email.isEmpty()) {
            throw InvalidRequestException.field("adminEmail", "The admin's email address is not valid.");
        }
        Organization org = organizations.findBySlug(slug)
                .orElseThrow(() -> new NotFoundException("No organization has the slug '" + slug + "'."));
        return inviteAdmin(org, email.get(), actor);
    }

    private InviteResult inviteAdmin(Organization org, EmailAddress email, Actor actor) {
        return invitations.invite(org.id(), List.of(email.value()), List.of(), true, actor).get(0);
    }
}
