package dev.roster.scim.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.invitation.InvitationService;
import dev.roster.linking.AccountLinking;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * A directory's users that Roster keeps linked to no member, and why, in words an admin can act on. Shows only what
 * the directory sent (userName, displayName, email): nothing of an account the organization may not see.
 */
@Service
@Transactional(readOnly = true)
public class UnlinkedUsers {

    /** The directory sent no usable email address. */
    public static final String NO_EMAIL = "no-email";

    /** Another user of the directory stands for the address (one user per address and directory). */
    public static final String EMAIL_TAKEN = "email-taken";

    private final ScimUserRepository users;
    private final InvitationService invitations;

    UnlinkedUsers(ScimUserRepository users, InvitationService invitations) {
        this.users = users;
        this.invitations = invitations;
    }

    /** A user kept unlinked: what the directory sent, the reason's code and its explanation. */
    public record UnlinkedUser(UUID id, String userName, String displayName, String email, boolean active,
                               String reason, String detail, Instant createdAt) {
    }

    public PageResult<UnlinkedUser> list(UUID organizationId, UUID directoryId, PageQuery page) {
        List<UnlinkedUser> items = users.held(organizationId, directoryId, page.size(), page.offset()).stream()
                .map(user -> view(organizationId, user)).toList();
        return PageResult.of(items, page, users.countHeld(organizationId, directoryId));
    }

    private UnlinkedUser view(UUID organizationId, StoredUser user) {
        String email = UserLifecycle.preferredEmail(user).orElse(null);
        String detail = explain(user.heldReason(), email);
        if (AccountLinking.AWAITING_OWNER.equals(user.heldReason()) && user.invitationId() != null
                && !invitations.isPending(organizationId, user.invitationId())) {
            detail += " The invitation is no longer pending: resend it under Invitations.";
        }
        return new UnlinkedUser(user.id(), user.userName(), user.displayName(), email, user.active(),
                user.heldReason(), detail, user.createdAt());
    }

    /** Why a user is kept unlinked, in a sentence (for the directory's page, its API and the request log). */
    static String explain(String reason, String email) {
        String address = email == null ? "this address" : email;
        String domain = Optional.ofNullable(email).flatMap(EmailAddress::parse).map(EmailAddress::domain)
                .orElse("its domain");
        return switch (reason) {
            case AccountLinking.CLAIMED_ELSEWHERE -> domain + " is a domain another organization has verified: only "
                    + "that organization can provision " + address + ". Roster keeps this user without making anyone "
                    + "a member.";
            case AccountLinking.AWAITING_OWNER -> address + " belongs to a Roster account outside this organization's "
                    + "verified domains: its owner was emailed an invitation and becomes a member when they accept.";
            case EMAIL_TAKEN -> "Another user of this directory has " + address + ": Roster links one user per "
                    + "address in a directory and keeps this one unlinked. It is linked when that user is deleted, or "
                    + "when the directory sends this user an address of its own.";
            case NO_EMAIL -> "The directory sent no email address, so Roster cannot tell whose account this is.";
            default -> "Roster keeps this user unlinked (" + reason + ").";
        };
    }
}
