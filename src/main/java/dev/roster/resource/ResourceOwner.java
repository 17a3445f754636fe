package dev.roster.resource;

import java.util.Objects;
import java.util.UUID;

/** A resource's owner: the organization (no id), a team (its id) or a member (their membership id). */
public record ResourceOwner(OwnerType type, UUID id) {

    public ResourceOwner {
        Objects.requireNonNull(type, "type");
        if (type == OwnerType.ORGANIZATION) {
            id = null;
        }
        else {
            Objects.requireNonNull(id, "id");
        }
    }

    public static ResourceOwner organization() {
        return new ResourceOwner(OwnerType.ORGANIZATION, null);
    }

    public static ResourceOwner team(UUID teamId) {
        return new ResourceOwner(OwnerType.TEAM, teamId);
    }

    public static ResourceOwner member(UUID membershipId) {
        return new ResourceOwner(OwnerType.MEMBER, membershipId);
    }

    UUID teamId() {
        return type == OwnerType.TEAM ? id : null;
    }

    UUID membershipId() {
        return type == OwnerType.MEMBER ? id : null;
    }
}
