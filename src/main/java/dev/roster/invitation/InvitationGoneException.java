package dev.roster.invitation;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.roster.shared.RosterException;

/** The invitation existed but can no longer be used: expired, revoked or already accepted (410 Gone). */
public class InvitationGoneException extends RosterException {

    InvitationGoneException(String code, String message) {
        super(code, message, Map.of());
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.GONE;
    }
}
