package dev.roster.twofactor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.test.TestTwoFactor;

/** An organization that requires two-factor: members enrol at their next sign-in and are refused until they do. */
@RosterIntegrationTest
class RequiredTwoFactorTest {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\"[^>]*>([A-Z2-7]+)<");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anAdminMustHaveTwoFactorBeforeRequiringIt() {
        TestData.Org org = data.org();

        TestApi.Response refused = api.patch(org.admin().token(), org.api(""), Map.of("requireTwoFactor", true));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:own-two-factor-required");
        assertThat(api.get(org.admin().token(), org.api("")).json().path("requireTwoFactor").asBoolean()).isFalse();

        TestTwoFactor.enrol(api, org.admin().token(), clock);
        TestApi.Response required = api.patch(org.admin().token(), org.api(""), Map.of("requireTwoFactor", true));

        assertThat(required.status()).isEqualTo(200);
        assertThat(required.json().path("requireTwoFactor").asBoolean()).isTrue();
        assertThat(api.get(org.admin().token(), org.api("")).status()).isEqualTo(200);
    }

    @Test
    void membersWithoutTwoFactorAreRefusedByTheApiUntilTheyEnrol() {
        TestData.Org org = requiringOrg();
        TestData.Person member = data.member(org, false);
        TestData.Person otherAdmin = data.member(org, true);

        TestApi.Response memberRefused = api.get(member.token(), org.api(""));
        TestApi.Response adminRefused = api.get(otherAdmin.token(), org.api("/audit-events"));

        assertThat(memberRefused.status()).isEqualTo(403);
        assertThat(memberRefused.json().path("type").asText()).isEqualTo("urn:roster:problem:two-factor-required");
        assertThat(adminRefused.status()).isEqualTo(403);
        assertThat(adminRefused.json().path("type").asText()).isEqualTo("urn:roster:problem:two-factor-required");
        assertThat(api.get(member.token(), "/api/v1/me").json().path("organizations").get(0)
                .path("requireTwoFactor").asBoolean()).isTrue();

        TestTwoFactor.enrol(api, otherAdmin.token(), clock);
        TestTwoFactor.enrol(api, member.token(), clock);

        assertThat(api.get(otherAdmin.token(), org.api("/audit-events")).status()).isEqualTo(200);
        TestApi.Response memberNow = api.get(member.token(), org.api(""));
        assertThat(memberNow.status()).isEqualTo(403);
        assertThat(memberNow.json().path("type").asText()).isEqualTo("urn:roster:problem:admin-required");
    }

    @Test
    void aMembersNextSignInLeadsToEnrolmentAndOnlyThere() {
        TestData.Org org = requiringOrg();
        TestData.Person member = data.member(org, false);
        TestSession browser = new TestSession(api.baseUrl());

        TestSession.Page signedIn = browser.signIn(member.email(), TestData.PASSWORD);

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/account/two-factor?required");
        assertThat(browser.get("/").location()).as("sent to enrolment").endsWith("/account/two-factor?required");
        assertThat(browser.get("/account/tokens").location()).as("sent to enrolment").endsWith("/account/two-factor?required");
        TestSession.Page explained = browser.get("/account/two-factor?required");
        assertThat(explained.status()).isEqualTo(200);
        assertThat(explained.body()).contains(org.organization().name()).contains("requires")
                .contains("Set up two-factor authentication");

        TestSession.Page begun = browser.submit("/account/two-factor?required", "/account/two-factor/begin",
                Map.of("required", "true"));
        assertThat(begun.status()).isEqualTo(303);
        assertThat(begun.location()).endsWith("/account/two-factor?required");
        TestSession.Page setUp = browser.get("/account/two-factor?required");
        assertThat(setUp.body()).contains("src=\"data:image/png;base64,");
        Matcher secret = SECRET.matcher(setUp.body());
        assertThat(secret.find()).as(setUp.body()).isTrue();

        TestSession.Page wrong = browser.submit("/account/two-factor?required", "/account/two-factor/confirm",
                Map.of("code", TestTwoFactor.wrongCode(secret.group(1), clock), "required", "true"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not right").contains("id=\"totp-secret\"");
        assertThat(browser.get("/").location()).as("sent to enrolment").endsWith("/account/two-factor?required");

        TestSession.Page posted = browser.submit("/account/two-factor?required", "/account/two-factor/confirm",
                Map.of("code", TestTwoFactor.code(secret.group(1), clock), "required", "true"));

        assertThat(posted.status()).isEqualTo(303);
        TestSession.Page confirmed = browser.get(java.net.URI.create(posted.location()).getPath());
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Save these recovery codes").contains("continue to Roster");
        TestSession.Page home = browser.get("/");
        assertThat(home.status()).as("the session is let through once enrolled").isEqualTo(200);
        assertThat(home.body()).contains(org.organization().name());
        assertThat(browser.get("/account/tokens").status()).isEqualTo(200);
        assertThat(api.get(member.token(), org.api("")).json().path("type").asText())
                .isEqualTo("urn:roster:problem:admin-required");
    }

    @Test
    void twoFactorCannotBeTurnedOffWhileAnOrganizationRequiresIt() {
        TestData.Org org = data.org();
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, org.admin().token(), clock);
        api.patch(org.admin().token(), org.api(""), Map.of("requireTwoFactor", true));

        TestApi.Response refused = api.send(org.admin().token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)), Map.of());

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:two-factor-required");
        assertThat(refused.json().path("detail").asText()).contains(org.organization().name());
        assertThat(api.get(org.admin().token(), "/api/v1/me").json().path("twoFactorEnabled").asBoolean()).isTrue();
    }

    @Test
    void anEnrolledMemberOfSuchAnOrganizationSignsInWithTheirCode() {
        TestData.Org org = requiringOrg();
        TestData.Person member = data.member(org, false);
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, member.token(), clock);
        TestSession browser = new TestSession(api.baseUrl());

        assertThat(browser.signIn(member.email(), TestData.PASSWORD).location()).endsWith("/login/two-factor");
        TestSession.Page verified = browser.submit("/login/two-factor", "/login/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));

        assertThat(verified.location()).endsWith("/");
        assertThat(browser.get("/").status()).isEqualTo(200);
    }

    private TestData.Org requiringOrg() {
        TestData.Org org = data.org();
        TestTwoFactor.enrol(api, org.admin().token(), clock);
        TestApi.Response required = api.patch(org.admin().token(), org.api(""), Map.of("requireTwoFactor", true));
        assertThat(required.status()).as(required.body()).isEqualTo(200);
        return org;
    }
}
