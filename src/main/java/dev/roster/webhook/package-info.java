/**
 * Webhooks: endpoints of host applications that receive their organization's events (docs/events.md), signed as the
 * Standard Webhooks specification says. Each endpoint reads its organization's stream in order from a position of
 * its own; an event that fails holds the ones after it and is retried with back-off, and an endpoint that keeps
 * failing (or answers 410) is disabled and the organization's admins are told by email. Any instance may deliver:
 * an endpoint is claimed in the database while one instance serves it.
 */
package dev.roster.webhook;
