package dev.roster.membership;

/**
 * ACTIVE members have access. SUSPENDED members keep their teams but reach nothing (SCIM {@code active=false}).
 * REMOVED is a tombstone: no access, no teams, and SSO just-in-time provisioning will not bring the person back.
 */
public enum MembershipStatus {
    ACTIVE, SUSPENDED, REMOVED
}
