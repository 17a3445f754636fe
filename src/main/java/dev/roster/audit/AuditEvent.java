package dev.roster.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.roster.shared.Channel;

public record AuditEvent(UUID id, UUID organizationId, Instant occurredAt, UUID actorAccountId, String actor,
                         Channel channel, String action, String targetType, String targetId, String targetLabel,
                         JsonNode before, JsonNode after) {
}
