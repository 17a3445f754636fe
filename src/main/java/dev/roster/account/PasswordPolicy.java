package dev.roster.account;

import dev.roster.shared.InvalidRequestException;

/** Length is what makes a password strong (NIST SP 800-63B); composition rules only make people write them down. */
final class PasswordPolicy {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    static void check(String field, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw InvalidRequestException.field(field, "A password has at least " + MIN_LENGTH + " characters.");
        }
        if (password.length() > MAX_LENGTH) {
            throw InvalidRequestException.field(field, "A password has at most " + MAX_LENGTH + " characters.");
        }
    }
}
