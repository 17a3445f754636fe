package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.provisioning.GroupMappingService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * The provisioning pages over plain HTTP: admins only, one organization's directories never reachable through
 * another's, CSRF, a token shown once, mappings previewed before they change anyone, and failures first in the log.
 */
@RosterIntegrationTest
class ScimManagePagesTest {

    private static final Actor SETUP = Actor.system("test setup");
    private static final Pattern TOKEN = Pattern.compile("scim_[A-Za-z0-9_-]+");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    ScimDirectoryService directories;
    @Autowired
    GroupMappingService mappings;

    @Test
    void everyPageIsForAdminsOnlyAndRendersUnderTheStrictPolicy() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        TestData.Person member = data.member(scim.org, false);
        String base = "/orgs/" + scim.org.slug() + "/manage/provisioning";
        List<String> pages = List.of(base, base + "/directories/" + scim.directoryId,
                base + "/directories/" + scim.directoryId + "/requests",
                base + "/directories/" + scim.directoryId + "/requests?failedOnly=true&method=PATCH&status=400");
        TestSession admin = signedIn(scim.org.admin());
        TestSession plainMember = signedIn(member);
        TestSession anonymous = new TestSession(api.baseUrl());

        for (String page : pages) {
            TestSession.Page shown = admin.get(page);
            assertThat(shown.status()).as(page).isEqualTo(200);
            StrictCsp.assertRespectedBy(shown.body());
            TestSession.Page refused = plainMember.get(page);
            assertThat(refused.status()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Only admins of this organization can do this.");
            assertThat(anonymous.get(page).location()).as(page).endsWith("/login");
        }
        TestSession.Page badFilter = admin.get(base + "/directories/" + scim.directoryId + "/requests?status=abc");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.body()).contains("Give an HTTP status such as 400 or 409.");
    }

    @Test
    void aNewDirectorysTokenIsShownOnceAndWorks() {
        TestData.Org org = data.org();
        TestSession admin = signedIn(org.admin());
        String base = "/orgs/" + org.slug() + "/manage/provisioning";

        TestSession.Page posted = admin.submit(base, base + "/directories", Map.of("name", "Okta", "kind", "okta"));
        assertThat(posted.status()).as("post/redirect/get").isEqualTo(302);
        TestSession.Page created = admin.get(posted.location().replaceFirst("^https?://[^/]+", ""));

        assertThat(created.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(created.body());
        Matcher token = TOKEN.matcher(created.body());
        assertThat(token.find()).isTrue();
        assertThat(api.get(token.group(), "/scim/v2/Users").status()).isEqualTo(200);
        UUID directory = directories.list(org.id(), PageQuery.of(0, 5)).items().get(0).id();
        assertThat(admin.get(base + "/directories/" + directory).body()).doesNotContain(token.group());
        assertThat(admin.get(base).body()).doesNotContain(token.group());
    }

    @Test
    void anotherOrganizationsDirectoriesAreNotFoundThroughThisOne() {
        ScimTestClient theirs = ScimTestClient.create(api, data, "okta");
        teams.create(theirs.org.id(), "Secret", null, SETUP);
        UUID mapping = mappings.create(theirs.org.id(), theirs.directoryId, "displayName", "Staff", List.of("Secret"),
                false, SETUP).mapping().id();
        UUID token = directories.tokens(theirs.org.id(), theirs.directoryId).get(0).id();
        TestData.Org mine = data.org();
        TestSession admin = signedIn(mine.admin());
        String base = "/orgs/" + mine.slug() + "/manage/provisioning";
        String their = base + "/directories/" + theirs.directoryId;

        assertThat(admin.get(their).status()).isEqualTo(404);
        assertThat(admin.get(their + "/requests").status()).isEqualTo(404);
        assertThat(admin.submit(base, their + "/tokens", Map.of()).status()).isEqualTo(404);
        assertThat(admin.submit(base, their + "/tokens/" + token + "/revoke", Map.of("confirmed", "yes")).status())
                .isEqualTo(404);
        assertThat(admin.submit(base, their + "/mappings/" + mapping + "/remove", Map.of("confirmed", "yes"))
                .status()).isEqualTo(404);
        assertThat(admin.submit(base, their + "/delete", Map.of("confirmed", "yes")).status()).isEqualTo(404);

        assertThat(directories.tokens(theirs.org.id(), theirs.directoryId)).singleElement()
                .satisfies(t -> assertThat(t.active()).isTrue());
        assertThat(mappings.list(theirs.org.id(), theirs.directoryId, PageQuery.of(0, 5)).items()).hasSize(1);
        assertThat(theirs.get("/Users").status()).isEqualTo(200);
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        TestSession admin = signedIn(scim.org.admin());
        String directory = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId;

        TestSession.Page refused = admin.send("POST", directory + "/delete?confirmed=yes", "/css/roster.css");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(directories.get(scim.org.id(), scim.directoryId)).isNotNull();
    }

    @Test
    void aMappingIsPreviewedWithThePeopleItMovesAndChangesNothingUntilApplied() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(scim.org.id(), "Platform", null, SETUP);
        String ada = scim.createUser(TestData.uniqueEmail("ada"));
        scim.createUser(TestData.uniqueEmail("grace"));
        scim.createGroup("Engineering", ada);
        TestSession admin = signedIn(scim.org.admin());
        String page = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId;
        String adaEmail = scim.get("/Users/" + ada).json().path("userName").asText();

        TestSession.Page preview = admin.submit(page, page + "/mappings",
                Map.of("by", "displayName", "value", "Engineering", "teams", platform.id().toString()));

        assertThat(preview.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(preview.body());
        assertThat(preview.body()).contains("This change will add 1 person to Platform.", adaEmail,
                "It matches the group Engineering");
        assertThat(teamsOf(scim, adaEmail)).isEmpty();
        assertThat(mappings.list(scim.org.id(), scim.directoryId, PageQuery.of(0, 5)).items()).isEmpty();

        TestSession.Page applied = admin.submit(page, page + "/mappings", Map.of("by", "displayName", "value",
                "Engineering", "teams", platform.id().toString(), "admin", "false", "confirmed", "yes"));
        assertThat(applied.status()).isEqualTo(302);
        assertThat(teamsOf(scim, adaEmail)).containsExactly("Platform");

        UUID mapping = mappings.list(scim.org.id(), scim.directoryId, PageQuery.of(0, 5)).items().get(0).mapping().id();
        TestSession.Page removal = admin.submit(page, page + "/mappings/" + mapping + "/remove", Map.of());
        assertThat(removal.body()).contains("This change will remove 1 person from Platform.", adaEmail);
        assertThat(teamsOf(scim, adaEmail)).containsExactly("Platform");
    }

    @Test
    void theRequestLogShowsFailingRequestsFirstWithRoastersAnswer() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        assertThat(scim.get("/Users?filter=" + ScimTestClient.encode("nickName eq \"x\"")).status()).isEqualTo(400);
        Map<String, Object> user = new LinkedHashMap<>(ScimTestClient.userBody(TestData.uniqueEmail("later"),
                null));
        user.put("password", "Hunter2-never-shown");
        assertThat(scim.post("/Users", user).status()).isEqualTo(201);
        TestSession admin = signedIn(scim.org.admin());
        String log = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId + "/requests";

        String failuresFirst = admin.get(log).body();
        String newestFirst = admin.get(log + "?order=newest").body();
        String failedOnly = admin.get(log + "?failedOnly=true").body();

        assertThat(failuresFirst.indexOf(">400<")).isPositive().isLessThan(failuresFirst.indexOf(">201<"));
        assertThat(newestFirst.indexOf(">201<")).isPositive().isLessThan(newestFirst.indexOf(">400<"));
        assertThat(failuresFirst).contains("nickName");
        assertThat(failedOnly).contains(">400<").doesNotContain(">201<");
        assertThat(newestFirst).doesNotContain("Hunter2-never-shown");
    }

    private List<String> teamsOf(ScimTestClient scim, String email) {
        List<Member> found = members.list(scim.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items();
        return found.isEmpty() ? List.of() : found.get(0).teams().stream().map(TeamGrant::teamName).toList();
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return session;
    }
}
