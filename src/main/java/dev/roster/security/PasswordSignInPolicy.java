package dev.roster.security;

import java.util.Optional;

/**
 * Lets a feature refuse password sign-in for an address before the password is checked: single sign-on implements it
 * for addresses whose domain a connection enforces SSO for. The refusal names where to sign in instead.
 */
public interface PasswordSignInPolicy {

    /** Where the person must sign in instead (a local path), or empty if a password is fine. */
    Optional<String> refuse(String email);
}
