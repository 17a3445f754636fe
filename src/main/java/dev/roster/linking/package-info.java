/**
 * The account-linking policy: when an organization may act on an account that exists, or create one, for an email
 * address. Single sign-on (an IdP identity signing in to an account), SCIM (a directory user becoming a member) and
 * access grants all ask {@link dev.roster.linking.AccountLinking}; invitations need not, because accepting one is the
 * person's own consent. The rules, and the threat model behind them, are in docs/security.md.
 * <p>
 * The facts the policy rests on are who verified which email domain, which single sign-on knows and publishes by
 * implementing {@link dev.roster.linking.DomainClaims}, so this module depends on no directory.
 */
package dev.roster.linking;
