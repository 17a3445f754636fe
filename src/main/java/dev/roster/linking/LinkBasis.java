package dev.roster.linking;

/**
 * Why an identity provider's identity (or a directory's user) was linked to an account: what made the link
 * legitimate. Stored with the link, because what keeps a link valid depends on how it began.
 */
public enum LinkBasis {

    /** The organization verified the address's domain when it linked. Valid while it still holds the domain. */
    VERIFIED_DOMAIN,

    /**
     * No account had the address, so the organization's IdP created it (an address an admin granted). Nobody else's
     * account was touched; the link stops when the address's owner proves the mailbox with a password reset, because
     * the organization never proved it owns the address.
     */
    NEW_ACCOUNT,

    /** The person accepted this organization's invitation through the IdP: their consent. */
    INVITATION,

    /** The person proved they own the existing account (signed in to it) and confirmed the link themselves. */
    CONFIRMED;

    /** Whether the account's owner agreed to the link (or the link created the account), so it needs no domain. */
    public boolean standsWithoutDomain() {
        return this != VERIFIED_DOMAIN;
    }

    /** Whether the person who owns the account agreed to this link themselves. */
    public boolean consented() {
        return this == INVITATION || this == CONFIRMED;
    }
}
