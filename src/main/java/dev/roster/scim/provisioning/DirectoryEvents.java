package dev.roster.scim.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.scim.directory.ScimDirectory;

/**
 * The {@code directory.*} events (docs/events.md): what a SCIM directory did, beside the {@code member.*} events its
 * changes cause through the membership write path. Published in the SCIM request's transaction.
 */
@Component
class DirectoryEvents {

    private final Events events;

    DirectoryEvents(Events events) {
        this.events = events;
    }

    record DirectoryRef(UUID id, String name, String kind) {

        static DirectoryRef of(ScimDirectory directory) {
            return new DirectoryRef(directory.id(), directory.name(), directory.kind().name().toLowerCase(
                    java.util.Locale.ROOT));
        }
    }

    /**
     * A provisioned user: the directory's id for it, the attributes a host matches on, and the member it became
     * ({@code memberId} null while the user is not linked, {@code heldReason} says why).
     */
    record UserData(UUID id, DirectoryRef directory, String userName, String externalId, String displayName,
                    boolean active, UUID memberId, String heldReason) {

        static UserData of(ScimDirectory directory, StoredUser user) {
            return new UserData(user.id(), DirectoryRef.of(directory), user.userName(), user.externalId(),
                    user.displayName(), user.active(), user.membershipId(), user.heldReason());
        }
    }

    record GroupData(UUID id, DirectoryRef directory, String displayName, String externalId) {
    }

    /** Created ({@code change: created}) or made active again ({@code change: activated}). */
    void userProvisioned(ScimDirectory directory, StoredUser user, String change) {
        events.publish(directory.organizationId(), EventType.DIRECTORY_USER_PROVISIONED, directory.actor(),
                UserData.of(directory, user), Map.of("change", change));
    }

    /** Deleted ({@code change: deleted}) or deactivated ({@code change: deactivated}). */
    void userDeprovisioned(ScimDirectory directory, StoredUser user, String change) {
        events.publish(directory.organizationId(), EventType.DIRECTORY_USER_DEPROVISIONED, directory.actor(),
                UserData.of(directory, user), Map.of("change", change));
    }

    /** A group was created, changed or deleted, with how many members it gained and lost. */
    void groupSynced(ScimDirectory directory, StoredGroup group, String change, int membersAdded,
                     int membersRemoved) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("change", change);
        changes.put("membersAdded", membersAdded);
        changes.put("membersRemoved", membersRemoved);
        events.publish(directory.organizationId(), EventType.DIRECTORY_GROUP_SYNCED, directory.actor(),
                new GroupData(group.id(), DirectoryRef.of(directory), group.displayName(), group.externalId()),
                changes);
    }
}
