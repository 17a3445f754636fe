package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

/**
 * SSO's admin grant is one source among the member's (issue 16): it goes when the person's admin group leaves their
 * sign-in, and an admin's grant made by hand stays.
 */
@RosterIntegrationTest
class SsoAdminGrantsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;

    @Test
    void ssoWithdrawsItsGrantWhenTheAdminGroupLeavesAndTheAdminsGrantStays() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("group", "Everyone");
        sso.map("Roster Admins", null, true);
        String email = sso.email("grace");

        login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone", "Roster Admins"));
        Member grace = member(sso, email);
        assertThat(grace.admin()).isTrue();
        assertThat(members.adminGrantedBy(sso.org.id(), GrantSource.SSO, List.of(grace.id())))
                .containsExactly(grace.id());
        // The admin API says where the admin role comes from, before anyone tries to take it away.
        JsonNode shown = get(sso, grace);
        assertThat(shown.path("adminSources")).isEqualTo(JSON.valueToTree(List.of("sso")));
        assertThat(shown.path("adminManagedByDirectory").asBoolean()).isTrue();

        // The group leaves: SSO's grant goes, and with it the flag (no other source grants it).
        login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone"));
        assertThat(member(sso, email).admin()).isFalse();
        assertThat(get(sso, grace).path("adminSources")).isEqualTo(JSON.valueToTree(List.of()));
        assertThat(get(sso, grace).path("adminManagedByDirectory").asBoolean()).isFalse();
        assertThat(members.adminGrantedBy(sso.org.id(), GrantSource.SSO, List.of(grace.id())))
                .isEmpty();

        // Back in the group, and made an admin by hand too: the group leaving again takes only SSO's grant.
        login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone", "Roster Admins"));
        TestApi.Response byHand = api.patch(sso.org.admin().token(), sso.org.api("/members/" + grace.id()),
                Map.of("admin", true));
        assertThat(byHand.status()).as(byHand.body()).isEqualTo(200);
        assertThat(byHand.json().path("adminSources")).isEqualTo(JSON.valueToTree(List.of("manual", "sso")));
        assertThat(byHand.json().path("adminManagedByDirectory").asBoolean()).isTrue();
        login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone"));
        assertThat(member(sso, email).admin()).as("the admin's grant stays").isTrue();
        assertThat(get(sso, grace).path("adminSources")).isEqualTo(JSON.valueToTree(List.of("manual")));
        assertThat(get(sso, grace).path("adminManagedByDirectory").asBoolean()).isFalse();
        assertThat(members.adminGrantedBy(sso.org.id(), GrantSource.SSO, List.of(grace.id())))
                .isEmpty();

        // And the admin's own withdrawal then ends it.
        memberships.setAdmin(sso.org.id(), grace.id(), false,
                Actor.account(sso.org.admin().id(), sso.org.admin().email(), Channel.API));
        assertThat(member(sso, email).admin()).isFalse();
    }

    private void login(SsoFixture sso, TestIdp.Spec spec) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.login(browser, spec);
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).endsWith("/");
    }

    private JsonNode get(SsoFixture sso, Member member) {
        TestApi.Response found = api.get(sso.org.admin().token(), sso.org.api("/members/" + member.id()));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        return found.json();
    }

    private Member member(SsoFixture sso, String email) {
        return members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().stream().findFirst().orElseThrow();
    }
}
