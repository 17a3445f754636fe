package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The rules of a preview: a directory only moves its own grants, and only takes back the admin rights it gave. */
class AccessImpactTest {

    private static final UUID PLATFORM = UUID.randomUUID();
    private static final UUID DATA = UUID.randomUUID();
    private static final Map<UUID, String> NAMES = Map.of(PLATFORM, "Platform", DATA, "Data");

    @Test
    void peopleJoinTeamsTheyAreNotInAndLeaveOnlyWhatTheSourceAloneGave() {
        Member ada = member("Ada", false, grant(DATA, GrantSource.SCIM));
        Member grace = member("Grace", false, grant(DATA, GrantSource.SCIM, GrantSource.MANUAL));
        Member linus = member("Linus", false, grant(PLATFORM, GrantSource.MANUAL));

        AccessImpact impact = AccessImpact.of(GrantSource.SCIM, List.of(
                subject(ada, Set.of(DATA), Set.of(PLATFORM)),
                subject(grace, Set.of(DATA), Set.of(PLATFORM)),
                subject(linus, Set.of(), Set.of(PLATFORM))), NAMES, List.of(), null, List.of());

        assertThat(impact.teams()).extracting(AccessImpact.TeamChange::teamName).containsExactly("Data", "Platform");
        AccessImpact.TeamChange data = impact.teams().get(0);
        AccessImpact.TeamChange platform = impact.teams().get(1);
        assertThat(data.leaving()).extracting(AccessImpact.Person::name).containsExactly("Ada");
        assertThat(data.joining()).isEmpty();
        assertThat(platform.joining()).extracting(AccessImpact.Person::name).containsExactly("Ada", "Grace");
        assertThat(impact.summary()).isEqualTo("This change will remove 1 person from Data and add 2 people to "
                + "Platform.");
    }

    @Test
    void adminRightsAreGivenToNonAdminsAndTakenOnlyFromThoseTheSourceMadeAdmins() {
        Member newcomer = member("Newcomer", false);
        Member madeBySource = member("Made", true);
        Member madeByHand = member("Hand", true);

        AccessImpact impact = AccessImpact.of(GrantSource.SSO, List.of(
                new AccessImpact.Subject(newcomer, Set.of(), Set.of(), false, true, false),
                new AccessImpact.Subject(madeBySource, Set.of(), Set.of(), true, false, true),
                new AccessImpact.Subject(madeByHand, Set.of(), Set.of(), true, false, false)), NAMES, List.of(),
                "When they next sign in through Okta", List.of());

        assertThat(impact.becomeAdmin()).extracting(AccessImpact.Person::name).containsExactly("Newcomer");
        assertThat(impact.loseAdmin()).extracting(AccessImpact.Person::name).containsExactly("Made");
        assertThat(impact.summary()).isEqualTo("When they next sign in through Okta, this change will make 1 person "
                + "an admin and take admin rights from 1 person.");
    }

    @Test
    void aChangeThatMovesNobodySaysSo() {
        Member ada = member("Ada", false, grant(PLATFORM, GrantSource.SCIM));

        AccessImpact impact = AccessImpact.of(GrantSource.SCIM, List.of(subject(ada, Set.of(PLATFORM),
                Set.of(PLATFORM))), NAMES, List.of(), null, List.of("a note"));

        assertThat(impact.none()).isTrue();
        assertThat(impact.summary()).startsWith("This change moves nobody Roster knows of");
        assertThat(impact.notes()).containsExactly("a note");
    }

    private static AccessImpact.Subject subject(Member member, Set<UUID> before, Set<UUID> after) {
        return new AccessImpact.Subject(member, before, after, false, false, false);
    }

    private static Member member(String name, boolean admin, TeamGrant... grants) {
        return new Member(UUID.randomUUID(), UUID.randomUUID(), name.toLowerCase() + "@example.test", name, admin,
                admin ? Set.of(GrantSource.MANUAL) : Set.of(), MembershipStatus.ACTIVE, MembershipSource.SCIM,
                List.of(grants), Instant.EPOCH);
    }

    private static TeamGrant grant(UUID team, GrantSource... sources) {
        return new TeamGrant(team, NAMES.get(team), Set.of(sources));
    }
}
