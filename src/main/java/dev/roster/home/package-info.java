/**
 * A signed-in person's own place: the home page (their organizations and the onboarding checklist) and the account
 * overview of the API ({@code /api/v1/me}). Both draw on accounts, memberships, two-factor and API tokens, which is
 * why they live here rather than in any one of those modules.
 */
package dev.roster.home;
