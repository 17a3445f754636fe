package dev.roster.sso.idp;

/**
 * A lookup in an IdP's API was not attempted: the organization already had as many running on this instance as it
 * may ({@link LookupsPerOrganization}). A sign-in goes on with the person's groups unknown, as for any failure of the
 * API, at once.
 */
public final class LookupRefused extends RuntimeException {

    LookupRefused(String message) {
        // No stack trace: refusals come in bursts, and where one was thrown is always the same place.
        super(message, null, false, false);
    }
}
