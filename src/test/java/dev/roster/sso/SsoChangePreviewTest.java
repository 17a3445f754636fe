package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.roster.membership.AccessImpact;
import dev.roster.membership.GrantSource;
import dev.roster.membership.Member;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamGrant;
import dev.roster.sso.access.AccessGrant;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.connection.SsoChangePreview;

/** How a mapping or grant change is worked out from the groups each member had at their last sign-in. */
class SsoChangePreviewTest {

    private static final UUID CONNECTION = UUID.randomUUID();
    private static final UUID PLATFORM = UUID.randomUUID();
    private static final UUID DATA = UUID.randomUUID();

    @Test
    void aNewMappingMovesTheMembersWhoseLastSignInCarriedTheGroup() {
        Member ada = member("Ada");
        Member grace = member("Grace");
        Member unknown = member("Unknown");
        List<GroupMapping> before = List.of(mapping("Data", DATA, false));
        List<GroupMapping> after = List.of(mapping("Data", DATA, false), mapping("Engineering", PLATFORM, true));

        AccessImpact impact = SsoChangePreview.impact(List.of(
                new SsoChangePreview.Known(ada, Optional.of(Set.of("Engineering")), false),
                new SsoChangePreview.Known(grace, Optional.of(Set.of("Design")), false),
                new SsoChangePreview.Known(unknown, Optional.empty(), false)), before, after, null, List.of());

        assertThat(impact.teams()).singleElement().satisfies(team -> {
            assertThat(team.teamName()).isEqualTo("Platform");
            assertThat(team.joining()).extracting(AccessImpact.Person::name).containsExactly("Ada");
        });
        assertThat(impact.becomeAdmin()).extracting(AccessImpact.Person::name).containsExactly("Ada");
    }

    @Test
    void removingAMappingTakesAwayOnlyWhatSsoAloneGaveAndNoTeamAnotherMappedGroupStillGives() {
        Member ada = member("Ada", new TeamGrant(PLATFORM, "Platform", Set.of(GrantSource.SSO)));
        Member grace = member("Grace",
                new TeamGrant(PLATFORM, "Platform", Set.of(GrantSource.SSO, GrantSource.MANUAL)));
        Member linus = member("Linus", new TeamGrant(PLATFORM, "Platform", Set.of(GrantSource.SSO)));
        GroupMapping engineering = mapping("Engineering", PLATFORM, false);
        GroupMapping oncall = mapping("On-call", PLATFORM, false);

        AccessImpact impact = SsoChangePreview.impact(List.of(
                new SsoChangePreview.Known(ada, Optional.of(Set.of("Engineering")), false),
                new SsoChangePreview.Known(grace, Optional.of(Set.of("Engineering")), false),
                new SsoChangePreview.Known(linus, Optional.of(Set.of("Engineering", "On-call")), false)),
                List.of(engineering, oncall), List.of(oncall), null, List.of());

        assertThat(impact.teams()).singleElement().satisfies(team ->
                assertThat(team.leaving()).extracting(AccessImpact.Person::name).containsExactly("Ada"));
    }

    @Test
    void grantsMatchAsASignInDecides() {
        AccessGrant domain = new AccessGrant(null, CONNECTION, AccessGrant.Kind.DOMAIN, "acme.test", Instant.EPOCH);
        AccessGrant group = new AccessGrant(null, CONNECTION, AccessGrant.Kind.GROUP, "Staff", Instant.EPOCH);
        AccessGrant email = new AccessGrant(null, CONNECTION, AccessGrant.Kind.EMAIL, "ada@other.test", Instant.EPOCH);

        assertThat(SsoChangePreview.matches(domain, "Grace@ACME.test", Optional.empty(), true)).isTrue();
        assertThat(SsoChangePreview.matches(domain, "grace@acme.test", Optional.empty(), false)).isFalse();
        assertThat(SsoChangePreview.matches(domain, "grace@sub.acme.test", Optional.empty(), true)).isFalse();
        assertThat(SsoChangePreview.matches(group, "grace@acme.test", Optional.of(Set.of("Staff")), true)).isTrue();
        assertThat(SsoChangePreview.matches(group, "grace@acme.test", Optional.empty(), true)).isFalse();
        assertThat(SsoChangePreview.matches(email, "ADA@other.test", Optional.empty(), true)).isTrue();
    }

    private static GroupMapping mapping(String group, UUID team, boolean admin) {
        return new GroupMapping(UUID.randomUUID(), CONNECTION, group, null, team, team == PLATFORM ? "Platform" : "Data",
                dev.roster.membership.TeamRole.MEMBER, admin, Instant.EPOCH);
    }

    private static Member member(String name, TeamGrant... grants) {
        return new Member(UUID.randomUUID(), UUID.randomUUID(), name.toLowerCase() + "@acme.test", name, false,
                Set.of(), MembershipStatus.ACTIVE, MembershipSource.SSO, List.of(grants), Instant.EPOCH);
    }
}
