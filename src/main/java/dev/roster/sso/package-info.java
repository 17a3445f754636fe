/**
 * SAML 2.0 single sign-on: connections to an organization's identity providers (Entra ID, Okta, any SAML IdP),
 * verified email domains, access grants that decide who is provisioned just in time, and IdP group to team
 * mappings applied on every login through {@link dev.roster.membership.MembershipService}.
 * <p>
 * This package is the module's public API (Spring Modulith exposes only the types of a module's top-level package to
 * other modules; the sub-packages below are internal):
 * <ul>
 * <li>{@link dev.roster.sso.SsoRouting} and {@link dev.roster.sso.SsoTarget}: which IdP an address must sign in
 * through, and where to send an invitee;</li>
 * <li>{@link dev.roster.sso.SsoInvitationHandler}: implemented by the invitation module to complete an invitation
 * after SSO;</li>
 * <li>{@link dev.roster.sso.DirectoryManagedOrganizations} and {@link dev.roster.sso.DirectoryGroupMappings}:
 * implemented by the SCIM module to tell SSO that a SCIM directory owns an organization's members and what its group
 * mappings grant;</li>
 * <li>{@link dev.roster.sso.SsoProperties}: the {@code roster.sso.*} settings (docs/configuration.md).</li>
 * </ul>
 * Inside the module:
 * <ul>
 * <li>{@code saml}: SAML messages and their checks, relying-party registrations, assertion encryption, the replay
 * cache, sign-in and single logout;</li>
 * <li>{@code connection}: connections to IdPs, their settings, test logins, change previews and maintenance;</li>
 * <li>{@code access}: who may sign in and what they get: access grants, verified domains, group mappings, the
 * enforcement policy and its break-glass, links to existing accounts;</li>
 * <li>{@code idp}: calls Roster makes to IdPs: metadata URLs, Microsoft Graph, the Okta API;</li>
 * <li>{@code demo}: the demo IdP of the demo profile;</li>
 * <li>{@code web}: page and admin API controllers.</li>
 * </ul>
 */
package dev.roster.sso;
