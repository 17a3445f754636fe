package dev.roster.audit;

import java.time.Instant;
import java.util.UUID;

import dev.roster.shared.Channel;

/** Filters for the audit log; every field is optional. {@code target} matches a target id or label. */
public record AuditQuery(UUID actorAccountId, String actor, Channel channel, String action, String target,
                         Instant from, Instant to) {

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, null);
    }
}
