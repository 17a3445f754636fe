package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;

/** Messages that say what actually happened and lead where the person wants to go. */
@RosterIntegrationTest
class MessagesPointTheRightWayTest {

    static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=(inv_[A-Za-z0-9_-]+)");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void aLinkReplacedByAResendSaysANewerInvitationWasSent() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("resent");
        TestApi.Response invited = api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(email)));
        String id = invited.json().at("/results/0/invitationId").asText();
        String first = token(TestMailbox.await(email, 1).get(0));
        assertThat(api.post(org.admin().token(), org.api("/invitations/" + id + "/resend"), null).status())
                .isEqualTo(200);
        String second = token(TestMailbox.await(email, 2).get(1));

        TestApi.Response old = api.get(null, "/api/v1/public/invitations/" + first);
        assertThat(old.status()).isEqualTo(410);
        assertThat(old.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-replaced");
        assertThat(old.json().path("detail").asText()).contains("newer invitation", "latest email")
                .doesNotContain("copied the whole link");
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.get("/invitations/accept?token=" + first).body()).contains("newer invitation");
        assertThat(api.get(null, "/api/v1/public/invitations/" + second).status()).isEqualTo(200);
        TestApi.Response garbage = api.get(null, "/api/v1/public/invitations/inv_" + UUID.randomUUID());
        assertThat(garbage.status()).isEqualTo(404);
        assertThat(garbage.json().path("detail").asText()).contains("copied the whole link");
    }

    @Test
    void aStaleMemberPageLeadsBackToTheMemberList() {
        TestData.Org org = data.org();
        TestSession admin = new TestSession(api.baseUrl());
        admin.signIn(org.admin().email(), TestData.PASSWORD);

        TestSession.Page stale = admin.get("/orgs/" + org.slug() + "/manage/members/" + UUID.randomUUID());

        assertThat(stale.status()).isEqualTo(404);
        assertThat(stale.body()).contains("href=\"/orgs/" + org.slug() + "/manage/members\"", "Back to the members")
                .doesNotContain("Back to your organizations");
        TestSession.Page unknownOrg = admin.get("/orgs/no-such-org-" + UUID.randomUUID().toString().substring(0, 8)
                + "/manage/members/" + UUID.randomUUID());
        assertThat(unknownOrg.status()).isEqualTo(404);
        assertThat(unknownOrg.body()).contains("Back to your organizations");
    }

    private static String token(TestMailbox.Mail mail) {
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        return matcher.group(1);
    }
}
