/**
 * Personal API tokens for the CLI and scripts: shown once, stored hashed, revocable, optionally expiring. A token
 * authenticates its account; what it may reach is decided per request from the account's current memberships.
 */
package dev.roster.apitoken;
