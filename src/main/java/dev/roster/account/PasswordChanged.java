package dev.roster.account;

import java.util.UUID;

/** Published in the transaction that set a new password for the account. */
public record PasswordChanged(UUID accountId) {
}
