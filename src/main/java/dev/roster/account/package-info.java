/**
 * Accounts: people. One account may belong to several organizations; it signs in with a password, through SSO,
 * or both.
 */
package dev.roster.account;
