/**
 * What Roster creates for itself at start-up: the operator's organization, admin and API token from the environment
 * ({@code ROSTER_BOOTSTRAP_*}), and the demo organization in the {@code demo} profile. Both run at every start, add
 * only what is missing, and never change what people have changed since.
 */
package dev.roster.bootstrap;
