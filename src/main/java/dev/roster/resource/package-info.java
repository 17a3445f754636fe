/**
 * Resources (projects, environments, data stores) owned by the organization (shared), a team or a member
 * (personal), and the access decisions host applications ask Roster for: may this account use this resource, and
 * why. Every decision is computed from the database as it is at that moment, in one indexed query, so a removal or
 * suspension denies on the very next request on every Roster instance.
 */
package dev.roster.resource;
