/**
 * Members and teams, and the one write path through which every channel (admins in the UI and API, invitations,
 * SSO, SCIM, bootstrap) changes them: {@link dev.roster.membership.MembershipService}. The rules (the last admin
 * stays, a removed member loses every team, directories touch only their own team grants) and the audit entries for
 * membership changes live there and nowhere else.
 */
package dev.roster.membership;
