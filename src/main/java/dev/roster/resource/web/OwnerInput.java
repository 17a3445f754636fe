package dev.roster.resource.web;

import java.util.UUID;

import dev.roster.resource.OwnerType;
import dev.roster.resource.ResourceOwner;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.web.WireNames;

/**
 * {@code {"type": "organization" | "team" | "member", "id": "…"}}: a team's id, a member's (membership) id, and for
 * the organization no id (or the organization's own).
 */
record OwnerInput(String type, String id) {

    ResourceOwner resolve(UUID organizationId) {
        OwnerType ownerType = WireNames.parse(OwnerType.class, type, "owner.type");
        if (ownerType == null) {
            throw InvalidRequestException.field("owner.type", "owner.type is required.");
        }
        if (ownerType == OwnerType.ORGANIZATION) {
            if (id != null && !id.isBlank() && !Ids.parse(id.trim()).map(organizationId::equals).orElse(false)) {
                throw InvalidRequestException.field("owner.id", "An organization owner is this organization.");
            }
            return ResourceOwner.organization();
        }
        UUID ownerId = Ids.parse(id == null ? null : id.trim()).orElseThrow(() -> InvalidRequestException.field(
                "owner.id", "owner.id must be the id of a " + WireNames.of(ownerType) + " of this organization."));
        return new ResourceOwner(ownerType, ownerId);
    }
}
