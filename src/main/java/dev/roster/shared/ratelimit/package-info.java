/**
 * Token buckets that every Roster instance counts together, in PostgreSQL through Bucket4j (docs/operations.md,
 * "Limits"). The SCIM request rate and the SAML refusal audit budget use them.
 */
package dev.roster.shared.ratelimit;
