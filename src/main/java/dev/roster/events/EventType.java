package dev.roster.events;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of event, by the name host applications see ({@code member.added}). docs/events.md shows each one. */
public enum EventType {

    MEMBER_ADDED("member.added"),
    MEMBER_UPDATED("member.updated"),
    MEMBER_SUSPENDED("member.suspended"),
    MEMBER_REACTIVATED("member.reactivated"),
    MEMBER_REMOVED("member.removed"),
    MEMBER_TEAMS_CHANGED("member.teams_changed"),
    TEAM_CREATED("team.created"),
    TEAM_RENAMED("team.renamed"),
    TEAM_DELETED("team.deleted"),
    RESOURCE_ACCESS_CHANGED("resource.access_changed"),
    INVITATION_CREATED("invitation.created"),
    INVITATION_ACCEPTED("invitation.accepted"),
    INVITATION_REVOKED("invitation.revoked"),
    INVITATION_EXPIRED("invitation.expired"),
    DIRECTORY_USER_PROVISIONED("directory.user_provisioned"),
    DIRECTORY_USER_DEPROVISIONED("directory.user_deprovisioned"),
    DIRECTORY_GROUP_SYNCED("directory.group_synced"),
    SSO_CONNECTION_CHANGED("sso.connection.changed"),
    SSO_SIGN_IN_REFUSED("sso.sign_in_refused"),
    /** Sent to one webhook endpoint on request; never part of an organization's stream. */
    WEBHOOK_TEST("webhook.test");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether events of this type are written to the organization's stream (all but the webhook test). */
    public boolean streamed() {
        return this != WEBHOOK_TEST;
    }

    public static Optional<EventType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
