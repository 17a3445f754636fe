package dev.roster.security;

import org.springframework.security.authentication.AccountStatusException;

/** Password sign-in is not allowed for this address; {@link #redirectTo()} is where to sign in instead. */
class PasswordSignInRefusedException extends AccountStatusException {

    private final String redirectTo;

    PasswordSignInRefusedException(String redirectTo) {
        super("password sign-in refused");
        this.redirectTo = redirectTo;
    }

    String redirectTo() {
        return redirectTo;
    }
}
