/**
 * Two-factor authentication with time-based one-time passwords (RFC 6238) and one-time recovery codes.
 * Organizations can require it; members then enrol at their next sign-in before they reach anything else.
 */
package dev.roster.twofactor;
