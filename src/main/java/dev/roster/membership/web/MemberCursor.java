package dev.roster.membership.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import dev.roster.membership.MemberReads;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;

/**
 * The {@code after} of the members API: a position in the member list, written so clients treat it as opaque. It
 * holds the last member's address and membership id, both of which that page showed, so it reveals nothing new; a
 * position made up by a client only moves where a page of the same organization's list starts.
 */
final class MemberCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private MemberCursor() {
    }

    static String encode(MemberReads.Position position) {
        return ENCODER.encodeToString((position.membershipId() + " " + position.emailNormalized())
                .getBytes(StandardCharsets.UTF_8));
    }

    static MemberReads.Position decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int space = text.indexOf(' ');
            UUID id = Ids.parse(space < 0 ? text : text.substring(0, space)).orElseThrow();
            String email = text.substring(space + 1);
            if (space < 0 || email.isEmpty() || email.length() > 320) {
                throw new IllegalArgumentException();
            }
            return new MemberReads.Position(email, id);
        }
        catch (RuntimeException ex) {
            throw InvalidRequestException.field("after", "after is not a position this list gave; use the next of a "
                    + "page, or start without after.");
        }
    }
}
