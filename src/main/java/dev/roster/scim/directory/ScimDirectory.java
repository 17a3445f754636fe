package dev.roster.scim.directory;

import java.time.Instant;
import java.util.UUID;

import dev.roster.shared.Actor;
import dev.roster.shared.Channel;

/** A SCIM directory: one identity provider's provisioning connection to one organization. */
public record ScimDirectory(UUID id, UUID organizationId, String name, DirectoryKind kind, Integer requestsPerSecond,
                            Instant createdAt) {

    /** Who the audit log names for changes this directory makes. */
    public Actor actor() {
        return Actor.directory("SCIM: " + name, Channel.SCIM);
    }
}
