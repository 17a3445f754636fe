/**
 * Invitations: admins invite people by email, with optional teams and the admin flag; the invited person follows a
 * single-use link to join, creating an account on the way if they have none. Joining goes through
 * {@link dev.roster.membership.MembershipService}, so the invitation's teams and admin flag apply like any other
 * membership change. Status: pending, then accepted, expired (after {@code roster.invitations.ttl}) or revoked.
 */
package dev.roster.invitation;
