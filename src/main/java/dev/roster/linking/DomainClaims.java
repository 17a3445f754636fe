package dev.roster.linking;

import java.util.Optional;
import java.util.UUID;

/**
 * Which organization has verified an email domain (a DNS TXT record, or an operator who vouched for it). A domain is
 * verified by one organization at most. Implemented by single sign-on, which verifies domains.
 */
public interface DomainClaims {

    /** The organization that holds the domain (lower case, no trailing dot) verified, if any. */
    Optional<UUID> verifiedOwner(String domain);
}
