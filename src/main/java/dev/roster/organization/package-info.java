/** Organizations: the tenants of Roster, addressed by a slug, and their settings. */
package dev.roster.organization;
