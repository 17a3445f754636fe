package dev.roster.security;

import java.time.Duration;

import org.springframework.security.authentication.AccountStatusException;

/**
 * Too many failed sign-ins for the address typed or from the client ({@link SignInThrottle}); the same for addresses
 * with and without an account.
 */
class SignInThrottledException extends AccountStatusException {

    private final Duration retryAfter;

    SignInThrottledException(Duration retryAfter) {
        super("too many failed sign-ins");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
