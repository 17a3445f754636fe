/**
 * SCIM 2.0 provisioning (RFC 7643/7644) for Entra ID, Okta and generic clients: directories with bearer tokens that
 * decide the organization, Users that become members, Groups that become teams through group mappings, the request
 * log admins read when a provisioning run fails, and the admin API that manages all of it. Membership changes go
 * through {@link dev.roster.membership.MembershipService} with channel SCIM.
 */
package dev.roster.scim;
