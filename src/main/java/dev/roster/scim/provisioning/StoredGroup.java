package dev.roster.scim.provisioning;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A provisioned group: its attributes other than members (those live in their own table), and its version. */
public record StoredGroup(UUID id, UUID organizationId, UUID directoryId, String displayName, String externalId,
                          ObjectNode attributes, long version, Instant createdAt, Instant updatedAt) {
}
