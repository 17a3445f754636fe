/**
 * Events for host applications (docs/events.md): every change a host application cares about (members, teams,
 * invitations, directories, single sign-on) is written here by the service that makes it, in the same transaction
 * ({@link dev.roster.events.Events#publish}). After commit, {@link dev.roster.events.EventSequencer} gives each
 * committed event its position in its organization's stream, so readers ({@link dev.roster.events.EventStore}, the
 * Events API, webhooks) see events in commit order and never miss or repeat one. Events are kept for
 * {@code roster.events.retention}. The module depends on nothing but the shared kernel, so every feature may publish.
 */
package dev.roster.events;
