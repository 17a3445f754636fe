package dev.roster.events;

import java.util.Set;
import java.util.UUID;

/** Published (not transactionally) after the sequencer has given positions to events of these organizations. */
public record EventsAppended(Set<UUID> organizationIds) {
}
