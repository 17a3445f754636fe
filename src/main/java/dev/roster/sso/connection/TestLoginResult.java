package dev.roster.sso.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a test login through a connection found: whether the identity provider's answer passed Roster's checks (and
 * why not), what it asserted, and what a real sign-in would have done.
 *
 * @param refusal   why the answer itself was refused (signature, audience, time...), or null when it was accepted
 * @param groups    the groups Roster would use, or null when they are unknown
 * @param allowed   whether Roster would sign the person in
 * @param headline  the decision in one sentence
 * @param effects   each step of the decision, in words
 */
public record TestLoginResult(Instant completedAt, String refusal, String issuer, String nameId, String nameIdFormat,
                              String subject, String email, String displayName,
                              Map<String, List<String>> attributes, List<String> groups, String groupsSource,
                              boolean allowed, String headline, List<String> effects) {

    public static TestLoginResult refused(Instant completedAt, String refusal) {
        return new TestLoginResult(completedAt, refusal, null, null, null, null, null, null, Map.of(), null, null,
                false, "The identity provider's answer was refused, as it would be at a real sign-in.",
                List.of(refusal));
    }
}
