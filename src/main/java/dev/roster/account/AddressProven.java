package dev.roster.account;

import java.util.UUID;

/**
 * Published in the transaction in which someone proved they receive the account's email (they used a password reset
 * link sent to it): whatever an organization assumed about the address without such proof is theirs to decide again.
 */
public record AddressProven(UUID accountId) {
}
