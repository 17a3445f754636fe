package dev.roster.shared;

import java.util.UUID;

/**
 * The organization a request acts in, resolved from the path and the caller's <em>current</em> membership.
 * It is built fresh for every request from the database, never taken from the client or a session.
 */
public record OrgContext(UUID organizationId, String slug, String organizationName, UUID membershipId,
                         UUID accountId, String accountEmail, boolean admin, Channel channel) {

    public Actor actor() {
        return Actor.account(accountId, accountEmail, channel);
    }
}
