package dev.roster.shared;

import java.io.Serializable;
import java.security.Principal;
import java.util.UUID;

/**
 * The authenticated person. Kept deliberately small because it is serialized into the shared session store;
 * anything that can change (admin flag, memberships, suspension) is read from the database on each request.
 */
public record RosterUser(UUID accountId, String email) implements Principal, Serializable {

    @Override
    public String getName() {
        return accountId.toString();
    }
}
