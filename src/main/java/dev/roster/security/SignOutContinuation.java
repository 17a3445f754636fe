package dev.roster.security;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Lets a feature continue signing out somewhere else after Roster's own sign-out: single sign-on sends people whose
 * session came from an IdP that offers single logout on to that IdP. Asked before the session is cleared.
 */
public interface SignOutContinuation {

    /** The URL to send the browser to after the local sign-out, or empty to land on the sign-in page. */
    Optional<String> continueAt(HttpServletRequest request);
}
