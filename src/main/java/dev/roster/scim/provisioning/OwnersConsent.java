package dev.roster.scim.provisioning;

import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.invitation.InvitationAccepted;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;

/**
 * The owner of an existing account accepted the invitation a directory user was waiting on: the user is linked to
 * their membership, in the acceptance's transaction, and from then on the directory manages it like any other (its
 * active flag and its groups' teams apply at once).
 */
@Component
class OwnersConsent {

    private final ScimUserRepository users;
    private final ScimDirectoryService directories;
    private final UserLifecycle lifecycle;
    private final AuditLog audit;

    OwnersConsent(ScimUserRepository users, ScimDirectoryService directories, UserLifecycle lifecycle,
                  AuditLog audit) {
        this.users = users;
        this.directories = directories;
        this.lifecycle = lifecycle;
        this.audit = audit;
    }

    @EventListener
    void accepted(InvitationAccepted event) {
        for (StoredUser user : users.awaiting(event.organizationId(), event.invitationId())) {
            ScimDirectory directory = directories.get(event.organizationId(), user.directoryId());
            StoredUser linked = user.withLink(event.accountId(), event.membershipId());
            users.updateLink(linked);
            audit.record(event.organizationId(), directory.actor(), "scim.user-linked",
                    AuditTarget.of("scim-user", user.id(), user.userName()), Map.of("reason", user.heldReason()),
                    Map.of("membership", event.membershipId().toString(), "by", "the owner accepted"));
            lifecycle.apply(directory, linked);
        }
    }
}
