package dev.roster.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;
import dev.roster.shared.web.WireNames;

/**
 * {@code resource.access_changed}, published in the change's transaction whenever who reaches a resource changes
 * through the resource itself: its owner changed, or a collaborator was added, changed or removed (a member's teams
 * and status have events of their own). {@code data} is the resource; {@code changes} says what changed.
 */
@Component
class ResourceEvents {

    private final Events events;

    ResourceEvents(Events events) {
        this.events = events;
    }

    void ownerChanged(Resource before, Resource after, Actor actor) {
        events.publish(after.organizationId(), EventType.RESOURCE_ACCESS_CHANGED, actor, data(after),
                Map.of("owner", Map.of("before", owner(before), "after", owner(after))));
    }

    /** A collaborator's place changed: {@code before} or {@code after} is null when it was added or removed. */
    void collaboratorChanged(Resource resource, UUID membershipId, String email, CollaboratorRole before,
                             CollaboratorRole after, String why, Actor actor) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("member", membershipId.toString());
        if (email != null) {
            change.put("email", email);
        }
        if (before != null) {
            change.put("before", WireNames.of(before));
        }
        if (after != null) {
            change.put("after", WireNames.of(after));
        }
        if (why != null) {
            change.put("reason", why);
        }
        events.publish(resource.organizationId(), EventType.RESOURCE_ACCESS_CHANGED, actor, data(resource),
                Map.of("collaborator", change));
    }

    private static Map<String, Object> data(Resource resource) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", resource.id().toString());
        data.put("kind", WireNames.of(resource.kind()));
        data.put("name", resource.name());
        data.put("owner", owner(resource));
        return data;
    }

    private static Map<String, Object> owner(Resource resource) {
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("type", WireNames.of(resource.owner().type()));
        if (resource.owner().id() != null) {
            owner.put("id", resource.owner().id().toString());
        }
        return owner;
    }
}
