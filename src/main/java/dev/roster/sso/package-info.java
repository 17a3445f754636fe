/**
 * SAML 2.0 single sign-on: connections to an organization's identity providers (Entra ID, Okta, any SAML IdP),
 * verified email domains, access grants that decide who is provisioned just in time, and IdP group to team
 * mappings applied on every login through {@link dev.roster.membership.MembershipService}.
 * <p>
 * Other modules use {@link dev.roster.sso.SsoRouting} (which IdP an address must sign in through, and where to send
 * an invitee), implement {@link dev.roster.sso.SsoInvitationHandler} to complete an invitation after SSO, and
 * {@link dev.roster.sso.ProvisioningDirectories} to tell SSO that a SCIM directory owns an organization's members.
 */
package dev.roster.sso;
