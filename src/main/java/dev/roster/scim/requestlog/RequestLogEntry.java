package dev.roster.scim.requestlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One SCIM request as the log keeps it; bodies have their secrets removed. {@code note}: what Roster made of it beyond
 * the status (a user kept unlinked, and why), null when nothing.
 */
public record RequestLogEntry(UUID id, UUID organizationId, UUID directoryId, Instant occurredAt, String method,
                              String path, String query, int status, int durationMs, String requestBody,
                              String responseBody, String requestId, String note) {

    public boolean failed() {
        return status >= 400;
    }
}
