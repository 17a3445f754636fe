/**
 * Token buckets that every Roster instance counts together, rows of {@code rate_limit_bucket} in PostgreSQL (decision
 * 0018; docs/operations.md, "Limits"). The SCIM request rate and the SAML refusal audit budget use them; the SCIM token
 * look-up takes from its directory's bucket in its own statement through {@link dev.roster.shared.ratelimit.BucketJoins}
 * (decision 0021).
 */
package dev.roster.shared.ratelimit;
