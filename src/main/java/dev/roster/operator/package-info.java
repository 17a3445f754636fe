/**
 * The operator API, for whoever runs Roster for many customers: organizations created (with an invitation to their
 * first admin), listed, deleted and restored with {@code ROSTER_OPERATOR_TOKEN}. Authentication of the token is the
 * security module's; the organizations and their purge are the organization module's.
 */
package dev.roster.operator;
