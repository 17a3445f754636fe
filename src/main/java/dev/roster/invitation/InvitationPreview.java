package dev.roster.invitation;

import java.time.Instant;
import java.util.List;

/**
 * What the holder of an invitation link may see before accepting. {@code accountExists} says whether the invited
 * address already has an account, in which case accepting needs that account signed in.
 */
public record InvitationPreview(String organizationName, String organizationSlug, String inviterName,
                                String inviterEmail, String email, List<String> teams, boolean admin,
                                InvitationStatus status, Instant expiresAt, boolean accountExists) {
}
