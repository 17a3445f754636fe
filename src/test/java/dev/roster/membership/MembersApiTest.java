package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.resource.AccessFixture;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

@RosterIntegrationTest
class MembersApiTest {

    private static final Actor SCIM = Actor.directory("test scim", Channel.SCIM);
    private static final Actor SSO = Actor.directory("test idp", Channel.SSO);

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads directory;
    @Autowired
    AuditLog audit;

    AccessFixture fixture;
    Org org;

    @BeforeEach
    void setUp() {
        fixture = new AccessFixture(api);
        org = testData.org();
    }

    private String admin() {
        return org.admin().token();
    }

    @Test
    void listsSearchesAndFiltersMembers() {
        Person alice = testData.member(org, false);
        Person bob = testData.member(org, true);
        UUID aliceId = fixture.membershipId(org, alice);
        UUID team = fixture.team(org, TestData.unique("ops"));
        fixture.addToTeam(org, aliceId, team);
        api.post(admin(), org.api("/members/" + fixture.membershipId(org, bob) + "/suspend"), null);

        TestApi.Response all = api.get(admin(), org.api("/members"));
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("total").asLong()).isEqualTo(3);
        assertThat(all.json().path("page").asInt()).isZero();
        assertThat(all.json().path("size").asInt()).isEqualTo(50);

        JsonNode found = single(api.get(admin(), org.api("/members?search=" + alice.email().toUpperCase())));
        assertThat(found.path("id").asText()).isEqualTo(aliceId.toString());
        assertThat(found.path("accountId").asText()).isEqualTo(alice.id().toString());
        assertThat(found.path("email").asText()).isEqualTo(alice.email());
        assertThat(found.path("displayName").asText()).isEqualTo("Test member");
        assertThat(found.path("admin").asBoolean()).isFalse();
        assertThat(found.path("status").asText()).isEqualTo("active");
        assertThat(found.path("source").asText()).isEqualTo("invitation");
        assertThat(found.path("joinedAt").asText()).isNotBlank();
        JsonNode grant = found.path("teams").get(0);
        assertThat(grant.path("id").asText()).isEqualTo(team.toString());
        assertThat(AccessFixture.texts(grant.path("sources"))).containsExactly("manual");
        assertThat(grant.path("managedByDirectory").asBoolean()).isFalse();

        assertThat(emails(api.get(admin(), org.api("/members?team=" + team)))).containsExactly(alice.email());
        assertThat(emails(api.get(admin(), org.api("/members?status=suspended")))).containsExactly(bob.email());
        assertThat(emails(api.get(admin(), org.api("/members?admin=true&status=ACTIVE"))))
                .containsExactly(org.admin().email());
        assertThat(emails(api.get(admin(), org.api("/members?search=Test%20admin")))).hasSize(2);
        assertThat(emails(api.get(admin(), org.api("/members?search=%25")))).isEmpty();
        TestApi.Response paged = api.get(admin(), org.api("/members?size=2&page=1"));
        assertThat(paged.json().path("items")).hasSize(1);
        assertThat(paged.json().path("total").asLong()).isEqualTo(3);
    }

    @Test
    void pagesFollowOneAnotherByNextInTheOrderOfPageNumbers() {
        for (int i = 0; i < 6; i++) {
            testData.member(org, false);
        }
        Org other = testData.org();
        testData.member(other, false);
        List<String> byNumber = new java.util.ArrayList<>();
        for (int page = 0; page < 3; page++) {
            byNumber.addAll(emails(api.get(admin(), org.api("/members?size=3&page=" + page))));
        }

        List<String> byNext = new java.util.ArrayList<>();
        TestApi.Response page = api.get(admin(), org.api("/members?size=3"));
        int pages = 1;
        while (true) {
            byNext.addAll(emails(page));
            assertThat(page.json().path("total").asLong()).isEqualTo(7);
            if (page.json().path("next").isNull() || page.json().path("next").isMissingNode()) {
                break;
            }
            page = api.get(admin(), org.api("/members?size=3&after=" + page.json().path("next").asText()));
            pages++;
        }

        assertThat(byNext).hasSize(7).containsExactlyElementsOf(byNumber);
        assertThat(pages).isEqualTo(3);
        String firstNext = api.get(admin(), org.api("/members?size=3")).json().path("next").asText();
        assertThat(emails(api.get(admin(), org.api("/members?size=3&status=active&after=" + firstNext))))
                .as("filters apply after a position too").containsExactlyElementsOf(byNumber.subList(3, 6));
        assertThat(emails(api.get(other.admin().token(), other.api("/members?size=3&after=" + firstNext))))
                .as("a position from another organization's list only moves where this one starts")
                .doesNotContainAnyElementsOf(byNumber);
    }

    @Test
    void rejectsBadListParameters() {
        assertThat(api.get(admin(), org.api("/members?after=not-a-position")).json().path("errors").has("after"))
                .isTrue();
        assertThat(api.get(admin(), org.api("/members?after=" + java.util.Base64.getUrlEncoder()
                .encodeToString("nothing here".getBytes()))).status()).isEqualTo(400);
        String next = api.get(admin(), org.api("/members?size=1")).json().path("next").asText();
        assertThat(api.get(admin(), org.api("/members?size=1&page=2&after=" + next)).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?status=removed")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?status=asleep")).json().path("errors").has("status")).isTrue();
        assertThat(api.get(admin(), org.api("/members?team=not-a-uuid")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?admin=maybe")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?size=0")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?size=501")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/members?page=-1")).status()).isEqualTo(400);
    }

    @Test
    void showsTheCallersOwnMembershipToAnyMember() {
        Person member = testData.member(org, false);
        UUID team = fixture.team(org, TestData.unique("readers"));
        UUID id = fixture.membershipId(org, member);
        fixture.addToTeam(org, id, team);

        TestApi.Response me = api.get(member.token(), org.api("/me"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("organization").path("slug").asText()).isEqualTo(org.slug());
        assertThat(me.json().path("organization").path("name").asText()).isEqualTo(org.organization().name());
        assertThat(me.json().path("accountId").asText()).isEqualTo(member.id().toString());
        assertThat(me.json().path("admin").asBoolean()).isFalse();
        assertThat(me.json().path("adminSources").isArray()).isTrue();
        assertThat(me.json().path("adminSources")).isEmpty();
        assertThat(me.json().path("teams").get(0).path("id").asText()).isEqualTo(team.toString());
        TestApi.Response adminsOwn = api.get(admin(), org.api("/me"));
        assertThat(adminsOwn.json().path("admin").asBoolean()).isTrue();
        assertThat(adminsOwn.json().path("adminSources").toString()).as("the admin's own view says where the role "
                + "comes from, as the member list does").isEqualTo("[\"manual\"]");
        assertThat(adminsOwn.json().path("adminManagedByDirectory").asBoolean()).isFalse();
    }

    @Test
    void promotesAndDemotesAdmins() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        assertThat(api.get(member.token(), org.api("/members")).status()).isEqualTo(403);

        TestApi.Response promoted = api.patch(admin(), org.api("/members/" + id), Map.of("admin", true));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().path("admin").asBoolean()).isTrue();
        assertThat(api.get(member.token(), org.api("/members")).status()).isEqualTo(200);

        TestApi.Response demoted = api.patch(admin(), org.api("/members/" + id), Map.of("admin", false));
        assertThat(demoted.json().path("admin").asBoolean()).isFalse();
        assertThat(api.get(member.token(), org.api("/members")).status()).isEqualTo(403);

        assertThat(actions()).contains("member.admin-granted", "member.admin-revoked");
        TestApi.Response missing = api.patch(admin(), org.api("/members/" + id), Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").has("admin")).isTrue();
        assertThat(api.patch(admin(), org.api("/members/" + id), "{\"admin\": \"perhaps\"}").status())
                .isEqualTo(400);
    }

    /**
     * An admin's grant on top of a directory's keeps the member an admin after the identity provider stops granting
     * it, so whoever adds it is on record, as whoever withdraws one is; asking again records nothing more.
     */
    @Test
    void aGrantByHandAddedToADirectorysAdminIsRecorded() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        memberships.grantAdmin(org.id(), id, GrantSource.SCIM, SCIM);

        TestApi.Response kept = api.patch(admin(), org.api("/members/" + id), Map.of("admin", true));
        assertThat(kept.status()).as(kept.body()).isEqualTo(200);
        assertThat(AccessFixture.texts(kept.json().path("adminSources"))).containsExactly("manual", "scim");
        api.patch(admin(), org.api("/members/" + id), Map.of("admin", true));

        List<AuditEvent> added = audit.find(org.id(), new AuditQuery(null, null, null, "member.admin-grant-added",
                null, null, null), PageQuery.of(0, 10)).items();
        assertThat(added).hasSize(1);
        assertThat(added.get(0).actorAccountId()).isEqualTo(org.admin().id());
        assertThat(added.get(0).targetId()).isEqualTo(id.toString());
        assertThat(added.get(0).before().path("adminSources").toString()).isEqualTo("[\"SCIM\"]");
        assertThat(added.get(0).after().path("adminSource").asText()).isEqualTo("MANUAL");
        assertThat(added.get(0).after().path("adminSources").toString()).isEqualTo("[\"MANUAL\",\"SCIM\"]");
        // The grant by SCIM made them an admin; the one by hand changed only who keeps them one.
        assertThat(audit.find(org.id(), new AuditQuery(null, null, null, "member.admin-granted", id.toString(), null,
                null), PageQuery.of(0, 10)).items()).hasSize(1);
    }

    @Test
    void suspendsReactivatesAndRemovesMembers() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        UUID team = fixture.team(org, TestData.unique("kept"));
        fixture.addToTeam(org, id, team);

        TestApi.Response suspended = api.post(admin(), org.api("/members/" + id + "/suspend"), null);
        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.json().path("status").asText()).isEqualTo("suspended");
        assertThat(suspended.json().path("teams")).hasSize(1);
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(403);

        TestApi.Response reactivated = api.post(admin(), org.api("/members/" + id + "/reactivate"), null);
        assertThat(reactivated.json().path("status").asText()).isEqualTo("active");
        assertThat(reactivated.json().path("teams").get(0).path("id").asText()).isEqualTo(team.toString());
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(200);

        assertThat(api.delete(admin(), org.api("/members/" + id)).status()).isEqualTo(204);
        assertThat(api.get(admin(), org.api("/members/" + id)).status()).isEqualTo(404);
        assertThat(api.delete(admin(), org.api("/members/" + id)).status()).isEqualTo(404);
        assertThat(emails(api.get(admin(), org.api("/members")))).doesNotContain(member.email());
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(403);
        assertThat(actions()).contains("member.suspended", "member.reactivated", "member.removed");
    }

    @Test
    void theLastAdminCanBeNeitherDemotedSuspendedNorRemoved() {
        UUID adminId = org.adminMembership().id();
        for (TestApi.Response refused : List.of(
                api.patch(admin(), org.api("/members/" + adminId), Map.of("admin", false)),
                api.post(admin(), org.api("/members/" + adminId + "/suspend"), null),
                api.delete(admin(), org.api("/members/" + adminId)))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:last-admin");
        }
        JsonNode admin = api.get(admin(), org.api("/members/" + adminId)).json();
        assertThat(admin.path("admin").asBoolean()).isTrue();
        assertThat(admin.path("status").asText()).isEqualTo("active");

        // With a second admin, the first may step down, and then the second is the last.
        Person second = testData.member(org, true);
        UUID secondId = fixture.membershipId(org, second);
        assertThat(api.patch(second.token(), org.api("/members/" + adminId), Map.of("admin", false)).status())
                .isEqualTo(200);
        assertThat(api.delete(second.token(), org.api("/members/" + secondId)).json().path("type").asText())
                .isEqualTo("urn:roster:problem:last-admin");
    }

    @Test
    void aSuspendedAdminDoesNotCountAsTheOtherAdmin() {
        Person second = testData.member(org, true);
        UUID secondId = fixture.membershipId(org, second);
        assertThat(api.post(admin(), org.api("/members/" + secondId + "/suspend"), null).status()).isEqualTo(200);
        TestApi.Response refused = api.patch(admin(), org.api("/members/" + org.adminMembership().id()),
                Map.of("admin", false));
        assertThat(refused.status()).isEqualTo(409);
    }

    @RepeatedTest(3)
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        Person second = testData.member(org, true);
        UUID firstId = org.adminMembership().id();
        UUID secondId = fixture.membershipId(org, second);
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<TestApi.Response> firstDemotesSecond = CompletableFuture.supplyAsync(() -> {
            await(start);
            return api.patch(admin(), org.api("/members/" + secondId), Map.of("admin", false));
        });
        CompletableFuture<TestApi.Response> secondDemotesFirst = CompletableFuture.supplyAsync(() -> {
            await(start);
            return api.patch(second.token(), org.api("/members/" + firstId), Map.of("admin", false));
        });
        List<Integer> statuses = Stream.of(firstDemotesSecond.get(), secondDemotesFirst.get())
                .map(TestApi.Response::status).sorted().toList();

        // One wins; the other is refused as the last admin (409) or, if it arrives after the first committed,
        // is no longer an admin at all (403). Never both, and never a deadlock answered as 503.
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(statuses.get(1)).isIn(403, 409);
        assertThat(directory.list(org.id(), new MemberReads.MemberFilter(null, MembershipStatus.ACTIVE, true, null),
                PageQuery.of(0, 10)).total()).isEqualTo(1);
    }

    @Test
    void adminsGrantAndWithdrawTeamsByHand() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        UUID team = fixture.team(org, TestData.unique("hand"));

        TestApi.Response added = api.put(admin(), org.api("/members/" + id + "/teams/" + team), null);
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().path("teams").get(0).path("id").asText()).isEqualTo(team.toString());
        assertThat(api.put(admin(), org.api("/members/" + id + "/teams/" + team), null).json().path("teams"))
                .as("granting twice is harmless").hasSize(1);

        TestApi.Response removed = api.delete(admin(), org.api("/members/" + id + "/teams/" + team));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().path("teams")).isEmpty();
        assertThat(api.delete(admin(), org.api("/members/" + id + "/teams/" + team)).status()).isEqualTo(404);
        assertThat(api.put(admin(), org.api("/members/" + id + "/teams/" + UUID.randomUUID()), null).status())
                .isEqualTo(404);
        assertThat(api.put(admin(), org.api("/members/" + UUID.randomUUID() + "/teams/" + team), null).status())
                .isEqualTo(404);
        assertThat(actions()).contains("team.member-added", "team.member-removed");
    }

    @Test
    void directorySyncsNeverTouchManualGrants() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        UUID manual = fixture.team(org, TestData.unique("manual"));
        UUID both = fixture.team(org, TestData.unique("both"));
        UUID scimOnly = fixture.team(org, TestData.unique("scim"));
        fixture.addToTeam(org, id, manual);
        fixture.addToTeam(org, id, both);

        memberships.syncTeams(org.id(), id, GrantSource.SCIM, Set.of(both, scimOnly), SCIM);
        Map<String, List<String>> sources = teamSources(id);
        assertThat(sources).containsEntry(manual.toString(), List.of("manual"))
                .containsEntry(both.toString(), List.of("manual", "scim"))
                .containsEntry(scimOnly.toString(), List.of("scim"));

        // The directory drops everything it granted: the admin's grants stay, including the shared team.
        memberships.syncTeams(org.id(), id, GrantSource.SCIM, Set.of(), SCIM);
        assertThat(teamSources(id)).containsOnly(Map.entry(manual.toString(), List.of("manual")),
                Map.entry(both.toString(), List.of("manual")));

        // SSO's sync is independent of SCIM's too.
        memberships.syncTeams(org.id(), id, GrantSource.SSO, Set.of(manual), SSO);
        memberships.syncTeams(org.id(), id, GrantSource.SSO, Set.of(), SSO);
        assertThat(teamSources(id)).containsEntry(manual.toString(), List.of("manual"));
    }

    @Test
    void anAdminCannotRemoveATeamOnlyADirectoryGrants() {
        Person member = testData.member(org, false);
        UUID id = fixture.membershipId(org, member);
        UUID directoryTeam = fixture.team(org, TestData.unique("dir"));
        memberships.syncTeams(org.id(), id, GrantSource.SCIM, Set.of(directoryTeam), SCIM);

        JsonNode grant = api.get(admin(), org.api("/members/" + id)).json().path("teams").get(0);
        assertThat(grant.path("managedByDirectory").asBoolean()).isTrue();
        assertThat(AccessFixture.texts(grant.path("sources"))).containsExactly("scim");

        TestApi.Response refused = api.delete(admin(), org.api("/members/" + id + "/teams/" + directoryTeam));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:managed-by-directory");
        assertThat(teamSources(id)).containsEntry(directoryTeam.toString(), List.of("scim"));

        // A manual grant on top can be withdrawn again without touching the directory's.
        fixture.addToTeam(org, id, directoryTeam);
        assertThat(api.delete(admin(), org.api("/members/" + id + "/teams/" + directoryTeam)).status())
                .isEqualTo(200);
        assertThat(teamSources(id)).containsEntry(directoryTeam.toString(), List.of("scim"));
    }

    @Test
    void malformedAndUnknownIdsAreClientErrors() {
        for (TestApi.Response response : List.of(
                api.get(admin(), org.api("/members/not-a-uuid")),
                api.patch(admin(), org.api("/members/12345"), Map.of("admin", true)),
                api.post(admin(), org.api("/members/zzz/suspend"), null),
                api.delete(admin(), org.api("/members/" + UUID.randomUUID() + "x")),
                api.put(admin(), org.api("/members/" + UUID.randomUUID() + "/teams/nope"), null))) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        UUID unknown = UUID.randomUUID();
        for (TestApi.Response response : List.of(
                api.get(admin(), org.api("/members/" + unknown)),
                api.patch(admin(), org.api("/members/" + unknown), Map.of("admin", true)),
                api.post(admin(), org.api("/members/" + unknown + "/suspend"), null),
                api.post(admin(), org.api("/members/" + unknown + "/reactivate"), null),
                api.delete(admin(), org.api("/members/" + unknown)))) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
        }
        assertThat(api.patch(admin(), org.api("/members/" + unknown), "{not json").status()).isEqualTo(400);
        assertThat(api.patch(admin(), org.api("/members/" + org.adminMembership().id()),
                "{\"admin\": true, \"padding\": \"" + "x".repeat(1_100_000) + "\"}").status()).isEqualTo(413);
    }

    private Map<String, List<String>> teamSources(UUID membershipId) {
        JsonNode member = api.get(admin(), org.api("/members/" + membershipId)).json();
        Map<String, List<String>> sources = new java.util.LinkedHashMap<>();
        member.path("teams").forEach(team -> sources.put(team.path("id").asText(),
                AccessFixture.texts(team.path("sources"))));
        return sources;
    }

    private List<String> actions() {
        return audit.find(org.id(), new AuditQuery(null, null, null, null, null, null, null), PageQuery.of(0, 200))
                .items().stream().map(e -> e.action()).toList();
    }

    private static JsonNode single(TestApi.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.json().path("items")).hasSize(1);
        return page.json().path("items").get(0);
    }

    private static List<String> emails(TestApi.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<String> emails = new java.util.ArrayList<>();
        page.json().path("items").forEach(item -> emails.add(item.path("email").asText()));
        return emails;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
