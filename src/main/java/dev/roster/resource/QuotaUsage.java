package dev.roster.resource;

import java.util.UUID;

/**
 * One team's use of its quota on one environment.
 *
 * @param maxConcurrent the limit, null when the team is unlimited there
 * @param fromDefault   whether the limit is the environment's default rather than the team's own quota
 * @param inUse         leases the team holds there now (expired ones do not count)
 */
public record QuotaUsage(UUID teamId, String teamName, UUID environmentId, String environmentName,
                         Integer maxConcurrent, boolean fromDefault, long inUse) {

    /** Places left, null when unlimited. */
    public Long remaining() {
        return maxConcurrent == null ? null : Math.max(0, maxConcurrent - inUse);
    }

    boolean hasRoom() {
        return maxConcurrent == null || inUse < maxConcurrent;
    }
}
