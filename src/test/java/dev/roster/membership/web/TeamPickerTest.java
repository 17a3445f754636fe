package dev.roster.membership.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Team;
import dev.roster.membership.TeamChoices;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * Team pickers in an organization with more teams than a list shows: the first ones and a search, whose answers come
 * from the organization's own teams only and keep what was chosen.
 */
@RosterIntegrationTest
class TeamPickerTest {

    private static final Actor SETUP = Actor.system("test setup");
    private static final int MANY = TeamChoices.LISTED_IN_FULL + 20;

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;

    private static TestData.Org large;

    private TestData.Org large() {
        if (large == null) {
            large = data.org();
            for (int i = 0; i < MANY; i++) {
                teams.create(large.id(), String.format("Team %03d", i), null, SETUP);
            }
        }
        return large;
    }

    @Test
    void aSmallOrganizationsPickersListEveryTeamWithoutASearch() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        TestSession admin = signedIn(org.admin());

        String page = admin.get("/orgs/" + org.slug() + "/manage/invitations").body();

        assertThat(page).contains("value=\"Platform\"").doesNotContain("name=\"teamQuery\"");
    }

    @Test
    void aLargeOrganizationsPickersShowTheFirstTeamsAndASearchOnEveryPage() {
        TestData.Org org = large();
        TestSession admin = signedIn(org.admin());
        String base = "/orgs/" + org.slug() + "/manage";

        for (String path : List.of(base + "/invitations", base + "/members", base + "/members/"
                + org.adminMembership().id())) {
            String page = admin.get(path).body();
            assertThat(page).as(path).contains("name=\"teamQuery\"", "Team 000", "Team 049")
                    .doesNotContain("Team 050", "Team " + (MANY - 1));
        }
    }

    @Test
    void theSearchFindsTeamsPastTheFirstOnesAndKeepsTheChosenOnesChosen() {
        TestData.Org org = large();
        TestSession admin = signedIn(org.admin());

        String answer = admin.get(choices(org, "51", "teams", "NAME", "CHECKBOXES") + "&teams="
                + encode("Team 003")).body();

        assertThat(answer).contains("Team 051", "Team 510", "Team 003")
                .doesNotContain("Team 004", "Team 100");
        assertThat(answer).containsPattern("value=\"Team 003\"[^>]*checked");
        assertThat(answer).doesNotContainPattern("value=\"Team 510\"[^>]*checked");
        assertThat(answer).contains("name=\"teams\"", "id=\"team\"");
    }

    @Test
    void aSingleChoiceSearchAnswersASelectWithItsEmptyChoiceAndTeamIds() {
        TestData.Org org = large();
        Team wanted = teams.findByName(org.id(), "Team 515").orElseThrow();
        TestSession admin = signedIn(org.admin());

        String answer = admin.get(choices(org, "515", "team", "ID", "SELECT") + "&emptyValue=&emptyLabel=Any").body();

        assertThat(answer.trim()).startsWith("<select").contains("<option value=\"\"", ">Any<",
                "value=\"" + wanted.id() + "\"");
    }

    @Test
    void theSearchAnswersOnlyWithTheOrganizationsOwnTeamsAndOnlyToItsAdmins() {
        TestData.Org org = large();
        TestData.Org other = data.org();
        teams.create(other.id(), "Team 9999 elsewhere", null, SETUP);
        TestSession admin = signedIn(org.admin());
        TestSession member = signedIn(data.member(org, false));
        TestSession outsider = signedIn(other.admin());

        assertThat(admin.get(choices(org, "9999", "teams", "NAME", "CHECKBOXES") + "&teams="
                + encode("Team 9999 elsewhere")).body()).doesNotContain("elsewhere").contains("No team matches.");
        assertThat(member.get(choices(org, "Team", "teams", "NAME", "CHECKBOXES")).status()).isEqualTo(403);
        assertThat(outsider.get(choices(org, "Team", "teams", "NAME", "CHECKBOXES")).status()).isEqualTo(404);
    }

    @Test
    void aFieldNameThatIsNotAPlainNameIsRefused() {
        TestData.Org org = large();
        TestSession admin = signedIn(org.admin());

        assertThat(admin.get(choices(org, "1", "x\"onmouseover=\"alert(1)", "NAME", "CHECKBOXES")).status())
                .isEqualTo(400);
    }

    @Test
    void anInvitationToATeamPastTheFirstOnesGoesThroughTheForm() {
        TestData.Org org = large();
        TestSession admin = signedIn(org.admin());
        String email = TestData.uniqueEmail("far-team");

        admin.submit("/orgs/" + org.slug() + "/manage/invitations", "/orgs/" + org.slug() + "/manage/invitations",
                Map.of("emails", email, "teams", "Team 512"));

        var listed = api.get(org.admin().token(), org.api("/invitations?status=pending")).json().path("items");
        assertThat(listed.toString()).contains(email, "Team 512");
    }

    private static String choices(TestData.Org org, String query, String field, String value, String kind) {
        return "/orgs/" + org.slug() + "/manage/team-choices?id=team&field=" + encode(field) + "&value=" + value
                + "&kind=" + kind + "&teamQuery=" + encode(query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return session;
    }
}
