package dev.roster.linking;

import java.util.UUID;

import dev.roster.shared.EmailAddress;

/**
 * Who may speak for an address, seen from one organization: itself (it verified the address's domain), another
 * organization (which verified it), or nobody (no organization verified the domain, as for a webmail address).
 */
public record AddressClaim(EmailAddress address, UUID organizationId, UUID ownerId) {

    /** This organization verified the address's domain: its IdP and directory speak for the address. */
    public boolean byThisOrganization() {
        return ownerId != null && ownerId.equals(organizationId);
    }

    /** Another organization verified the address's domain: nobody else may grant, link or provision it. */
    public boolean byAnotherOrganization() {
        return ownerId != null && !ownerId.equals(organizationId);
    }

    public boolean unclaimed() {
        return ownerId == null;
    }
}
