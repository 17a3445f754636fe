package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;

/**
 * A directory user whose address belongs to an existing account outside the organization's verified domains is kept
 * pending: the person gets one email ("Beta's directory added you: join?") from GreenMail, the organization sees
 * only what the directory sent, and accepting (signed in to the account) makes them a member whom the directory
 * manages from then on. Deleting the user before that withdraws the invitation.
 */
@RosterIntegrationTest
class ADirectoryUserWithAnExistingAccountJoinsWhenItsOwnerAcceptsTest {

    private static final Pattern LINK = Pattern.compile("(/invitations/accept\\?token=([A-Za-z0-9_\\-]+))");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MemberReads members;
    @Autowired
    TeamService teams;

    @Test
    void thePersonIsAskedByEmailAndBecomesAMemberTheDirectoryManagesWhenTheyAccept() {
        TestData.Person person = data.person("pending");
        ScimTestClient beta = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(beta.org.id(), TestData.unique("Platform"), null, Actor.system("test"));

        ScimTestClient.Response created = beta.post("/Users",
                ScimLinksNoAccountWithoutItsOwnersConsentTest.entraUser(person.email(), "Per Son"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String group = beta.createGroup(TestData.unique("Platform engineers"), created.id());
        assertThat(api.post(beta.org.admin().token(), beta.org.api("/scim-directories/" + beta.directoryId
                + "/group-mappings"), Map.of("group", Map.of("by", "id", "value", group),
                "teams", List.of(platform.name()), "admin", false)).status()).isEqualTo(201);
        // Entra and Okta send updates again and again; the person is asked once.
        beta.put("/Users/" + created.id(), ScimLinksNoAccountWithoutItsOwnersConsentTest.entraUser(person.email(),
                "Per Son"));

        TestMailbox.Mail mail = TestMailbox.await(person.email(), 1).get(0);
        assertThat(mail.subject()).isEqualTo(beta.org.organization().name() + "'s directory added you: join "
                + beta.org.organization().name() + " on Roster?");
        assertThat(mail.text()).contains("Test entra directory", "nothing of your account", "/invitations/accept?token=");
        TestApi.Response invitations = api.get(beta.org.admin().token(), beta.org.api("/invitations?status=pending"));
        assertThat(invitations.json().path("items")).singleElement().satisfies(invitation -> {
            assertThat(invitation.path("email").asText()).isEqualTo(person.email());
            assertThat(invitation.path("invitedByDirectory").asText()).isEqualTo("Test entra directory");
        });
        assertThat(members.findByAccount(beta.org.id(), person.id())).isEmpty();

        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).isTrue();
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.get(link.group(1)).body()).contains("Sign in to accept");
        browser.get("/account/invitations/accept?token=" + link.group(2));
        browser.signIn(person.email(), TestData.PASSWORD);
        TestSession.Page accepted = browser.submit(link.group(1), "/account/invitations/accept",
                Map.of("token", link.group(2)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(302);

        Member member = members.list(beta.org.id(), new MemberReads.MemberFilter(person.email(), null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        assertThat(member.status()).isEqualTo(MembershipStatus.ACTIVE);
        assertThat(member.source()).isEqualTo(MembershipSource.INVITATION);
        assertThat(member.teams()).extracting(t -> t.teamName()).containsExactly(platform.name());
        assertThat(api.get(beta.org.admin().token(), beta.org.api("/scim-directories/" + beta.directoryId
                + "/unlinked-users")).json().path("items")).isEmpty();

        // Linked now: the directory manages the membership.
        assertThat(beta.patch("/Users/" + created.id(), patch(op("replace", "active", false))).status())
                .isEqualTo(200);
        assertThat(members.findByAccount(beta.org.id(), person.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.SUSPENDED);
        assertThat(TestMailbox.receivedBy(List.of(person.email()))).hasSize(1);
    }

    @Test
    void deletingAPendingUserWithdrawsTheInvitationItsDirectorySent() {
        TestData.Person person = data.person("withdrawn");
        ScimTestClient beta = ScimTestClient.create(api, data, "okta");
        ScimTestClient.Response created = beta.post("/Users",
                ScimLinksNoAccountWithoutItsOwnersConsentTest.oktaUser(person.email(), "With", "Drawn"));
        Matcher link = LINK.matcher(TestMailbox.await(person.email(), 1).get(0).text());
        assertThat(link.find()).isTrue();

        assertThat(beta.delete("/Users/" + created.id()).status()).isEqualTo(204);

        assertThat(api.get(beta.org.admin().token(), beta.org.api("/invitations?status=revoked")).json()
                .path("items").findValuesAsText("email")).containsExactly(person.email());
        assertThat(new TestSession(api.baseUrl()).get(link.group(1)).status()).isEqualTo(410);
        assertThat(members.findByAccount(beta.org.id(), person.id())).isEmpty();
    }
}
