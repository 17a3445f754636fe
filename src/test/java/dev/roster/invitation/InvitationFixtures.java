package dev.roster.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.PageQuery;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/** Inviting through the API and reading the link out of the email, as an admin and an invitee would. */
final class InvitationFixtures {

    static final Pattern LINK = Pattern.compile("http://localhost:8080/invitations/accept\\?token=(inv_[A-Za-z0-9_-]+)");

    private InvitationFixtures() {
    }

    static TestApi.Response invite(TestApi api, TestData.Org org, List<String> emails, List<String> teams,
                                   boolean admin) {
        return api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", emails, "teams", teams, "admin", admin));
    }

    /** Invites one address, checks it was invited, and returns the invitation id. */
    static String inviteOne(TestApi api, TestData.Org org, String email, List<String> teams, boolean admin) {
        TestApi.Response response = invite(api, org, List.of(email), teams, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("results").get(0).path("result").asText()).isEqualTo("invited");
        return response.json().path("results").get(0).path("invitationId").asText();
    }

    /** The link token in the {@code nth} (1-based) email that reached {@code email}, waiting for it. */
    static String token(String email, int nth) {
        return token(TestMailbox.await(email, nth).get(nth - 1));
    }

    static String token(TestMailbox.Mail mail) {
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as("link in %s", mail.text()).isTrue();
        return matcher.group(1);
    }

    static List<String> emails(JsonNode page) {
        List<String> emails = new ArrayList<>();
        page.path("items").forEach(item -> emails.add(item.path("email").asText()));
        return emails;
    }

    static List<AuditEvent> audit(AuditLog log, TestData.Org org, String action, String target) {
        return log.find(org.id(), new AuditQuery(null, null, null, action, target, null, null), PageQuery.of(0, 100))
                .items();
    }
}
