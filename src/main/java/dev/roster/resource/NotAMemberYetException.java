package dev.roster.resource;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.roster.shared.RosterException;

/**
 * A collaborator must already be a member: Roster never makes someone a member as a side effect of sharing a
 * resource. The answer says how to invite them.
 */
public class NotAMemberYetException extends RosterException {

    NotAMemberYetException(String email) {
        super("not-a-member", email + " is not a member of this organization. Invite them first "
                + "(POST /api/v1/orgs/{slug}/invitations), then add them as a collaborator; or send \"invite\": true "
                + "(admins) to invite them with the place made when they accept.",
                Map.of("email", "Not a member of this organization yet: invite them first."));
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }
}
