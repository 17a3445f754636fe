package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.AccessImpact;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.scim.provisioning.GroupMappingPreview;
import dev.roster.scim.provisioning.GroupMappingService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The preview of a SCIM group mapping works out, from the groups' current members, exactly what creating or deleting
 * the mapping would do, and changes nothing itself.
 */
@RosterIntegrationTest
class GroupMappingPreviewTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    GroupMappingPreview preview;
    @Autowired
    GroupMappingService mappings;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog audit;

    @Test
    void deletingAMappingRemovesOnlyThoseNoOtherMappedGroupOrAdminKeepsInTheTeam() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team platform = teams.create(scim.org.id(), "Platform", null, SETUP);
        String onlyHere = TestData.uniqueEmail("only");
        String alsoOnCall = TestData.uniqueEmail("oncall");
        String byHand = TestData.uniqueEmail("hand");
        String a = scim.createUser(onlyHere);
        String b = scim.createUser(alsoOnCall);
        String c = scim.createUser(byHand);
        scim.createGroup("Engineering", a, b, c);
        scim.createGroup("On-call", b);
        UUID engineering = mappings.create(scim.org.id(), scim.directoryId, "displayName", "Engineering",
                List.of("Platform"), false, SETUP).mapping().id();
        mappings.create(scim.org.id(), scim.directoryId, "displayName", "On-call", List.of("Platform"), false, SETUP);
        memberships.grantTeam(scim.org.id(), membership(scim, byHand), platform.id(), GrantSource.MANUAL, SETUP);
        long auditBefore = auditCount(scim);

        AccessImpact impact = preview.delete(scim.org.id(), scim.directoryId, engineering);

        assertThat(impact.teams()).singleElement().satisfies(team -> {
            assertThat(team.teamName()).isEqualTo("Platform");
            assertThat(team.leaving()).extracting(AccessImpact.Person::email).containsExactly(onlyHere);
            assertThat(team.joining()).isEmpty();
        });
        assertThat(impact.summary()).isEqualTo("This change will remove 1 person from Platform.");
        assertThat(mappings.list(scim.org.id(), scim.directoryId, PageQuery.of(0, 5)).items()).hasSize(2);
        assertThat(auditCount(scim)).isEqualTo(auditBefore);
    }

    @Test
    void anAdminMappingPreviewsWhoBecomesAnAdminAndSkipsThoseWhoAreAlready() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String newcomer = TestData.uniqueEmail("newcomer");
        String already = TestData.uniqueEmail("already");
        String x = scim.createUser(newcomer);
        String y = scim.createUser(already);
        scim.createGroup("Admins", x, y);
        memberships.setAdmin(scim.org.id(), membership(scim, already), true, SETUP);

        AccessImpact impact = preview.create(scim.org.id(), scim.directoryId, "displayName", "admins", List.of(), true);

        assertThat(impact.becomeAdmin()).extracting(AccessImpact.Person::email).containsExactly(newcomer);
        assertThat(impact.teams()).isEmpty();
        assertThat(members.findAll(scim.org.id(), List.of(membership(scim, newcomer))).get(0).admin()).isFalse();
    }

    @Test
    void aMappingForAGroupNotPushedYetSaysSo() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        teams.create(scim.org.id(), "Platform", null, SETUP);

        AccessImpact impact = preview.create(scim.org.id(), scim.directoryId, "externalId", "0a1b2c",
                List.of("Platform"), false);

        assertThat(impact.none()).isTrue();
        assertThat(impact.notes()).singleElement().asString().contains("No group of", "externalId \"0a1b2c\"");
    }

    private UUID membership(ScimTestClient scim, String email) {
        UUID account = accounts.findByEmail(email).orElseThrow().id();
        return members.findByAccount(scim.org.id(), account).orElseThrow().id();
    }

    private long auditCount(ScimTestClient scim) {
        return audit.find(scim.org.id(), AuditQuery.all(), PageQuery.of(0, 1)).total();
    }
}
