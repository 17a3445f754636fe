package dev.roster.security;

import java.util.Optional;
import java.util.UUID;

/**
 * Lets a feature refuse password sign-in for an address before the password is checked: single sign-on implements it
 * for addresses whose domain a connection enforces SSO for. The refusal names where to sign in instead.
 */
public interface PasswordSignInPolicy {

    /** Where the person must sign in instead (a local path), or empty if a password is fine. */
    Optional<String> refuse(String email);

    /**
     * Whether the account, whose password was just proven, may sign in with it although {@link #refuse} refused its
     * address (single sign-on's break-glass for admins). Asked only after the password matched, so that the answer
     * to a wrong password never tells who is exempt.
     */
    default boolean exempts(UUID accountId, String email) {
        return false;
    }
}
