package dev.roster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.organization.OrganizationService;
import dev.roster.organization.OrganizationSettings;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/** The bootstrap runner against the shared context's database, with settings made up per test. */
@RosterIntegrationTest
class BootstrapTest {

    private static final String PASSWORD = "initial bootstrap password";

    @Autowired
    OrganizationService organizations;
    @Autowired
    AccountService accounts;
    @Autowired
    MemberReads members;
    @Autowired
    MembershipService memberships;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestApi api;

    @Test
    void createsOnceAndThenFindsEverythingInPlace() {
        BootstrapProperties settings = settings();

        Bootstrap.Outcome first = runner(settings).apply();
        Bootstrap.Outcome second = runner(settings).apply();

        assertThat(first).isEqualTo(new Bootstrap.Outcome(true, true, true, true));
        assertThat(second).isEqualTo(new Bootstrap.Outcome(false, false, false, true));
        assertSingleRows(settings);
        UUID orgId = organizations.findBySlug(settings.org()).orElseThrow().id();
        assertThat(organizations.get(orgId).name()).isEqualTo(settings.orgName());
        Map<String, Object> membership = jdbc.sql("SELECT admin, status, source FROM membership WHERE organization_id = ?")
                .param(orgId).query().singleRow();
        assertThat(membership).containsEntry("admin", true).containsEntry("status", "ACTIVE")
                .containsEntry("source", "BOOTSTRAP");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE organization_id = ? AND action = 'organization.created'")
                .param(orgId).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theTokenAndPasswordSignInAsTheAdmin() {
        BootstrapProperties settings = settings();
        runner(settings).apply();

        TestApi.Response org = api.get(settings.apiToken(), "/api/v1/orgs/" + settings.org());
        TestApi.Response audit = api.get(settings.apiToken(), "/api/v1/orgs/" + settings.org() + "/audit-events");

        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().path("name").asText()).isEqualTo(settings.orgName());
        assertThat(audit.status()).isEqualTo(200);
        assertThat(api.get(settings.apiToken(), "/api/v1/me").json().path("email").asText())
                .isEqualTo(settings.adminEmail());
        assertThat(new TestSession(api.baseUrl()).signIn(settings.adminEmail(), PASSWORD).location())
                .doesNotContain("error");
        assertThat(jdbc.sql("SELECT token_hash FROM api_token WHERE name = 'bootstrap' AND account_id = ?")
                .param(accounts.findByEmail(settings.adminEmail()).orElseThrow().id()).query(String.class).single())
                .isNotEqualTo(settings.apiToken());
    }

    @Test
    void neverUndoesWhatPeopleChangedSince() {
        BootstrapProperties settings = settings();
        runner(settings).apply();
        UUID orgId = organizations.findBySlug(settings.org()).orElseThrow().id();
        UUID adminId = accounts.findByEmail(settings.adminEmail()).orElseThrow().id();
        Actor admin = Actor.account(adminId, settings.adminEmail(), Channel.API);
        accounts.changePassword(adminId, PASSWORD, "the admin chose this one", admin);
        organizations.updateSettings(orgId, new OrganizationSettings("Renamed", null), admin);
        UUID tokenId = jdbc.sql("SELECT id FROM api_token WHERE account_id = ? AND name = 'bootstrap'").param(adminId)
                .query(UUID.class).single();
        tokens.revoke(adminId, tokenId, admin);

        Bootstrap.Outcome again = runner(settings).apply();

        assertThat(again.organizationCreated() || again.adminCreated() || again.membershipCreated()).isFalse();
        assertThat(organizations.get(orgId).name()).isEqualTo("Renamed");
        assertThat(new TestSession(api.baseUrl()).signIn(settings.adminEmail(), PASSWORD).location())
                .endsWith("/login?error");
        assertThat(new TestSession(api.baseUrl()).signIn(settings.adminEmail(), "the admin chose this one")
                .location()).doesNotContain("error");
        assertThat(api.get(settings.apiToken(), "/api/v1/me").status()).as("a revoked token stays revoked")
                .isEqualTo(401);
        assertSingleRows(settings);
    }

    @Test
    void aRemovedBootstrapAdminIsNotBroughtBack() {
        BootstrapProperties settings = settings();
        runner(settings).apply();
        UUID orgId = organizations.findBySlug(settings.org()).orElseThrow().id();
        UUID adminId = accounts.findByEmail(settings.adminEmail()).orElseThrow().id();
        TestData.Person successor = new TestData.Person(accounts.create(
                new EmailAddress(TestData.uniqueEmail("successor")), "Successor", null,
                Actor.system("test")), null);
        memberships.join(orgId, successor.id(), new MembershipService.Join(true,
                MembershipSource.INVITATION, Set.of(), GrantSource.MANUAL), Actor.system("test"));
        UUID membershipId = members.findByAccount(orgId, adminId).orElseThrow().id();
        memberships.remove(orgId, membershipId, Actor.system("test"));

        runner(settings).apply();

        assertThat(members.findByAccount(orgId, adminId).orElseThrow().isActive()).isFalse();
        assertThat(api.get(settings.apiToken(), "/api/v1/orgs/" + settings.org()).status()).isEqualTo(403);
    }

    @Test
    void instancesStartingTogetherCreateOneOfEach() throws Exception {
        BootstrapProperties settings = settings();
        int instances = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<Bootstrap.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                Bootstrap runner = runner(settings);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return runner.apply();
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<Bootstrap.Outcome> outcome : outcomes) {
                created += outcome.get(60, TimeUnit.SECONDS).organizationCreated() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
        assertSingleRows(settings);
    }

    @Test
    void badSettingsStopTheStartAndWriteNothing() {
        BootstrapProperties noEmail = new BootstrapProperties(TestData.unique("boot"), null, null, null, null);
        BootstrapProperties shortToken = new BootstrapProperties(TestData.unique("boot"), null,
                TestData.uniqueEmail("boot"), null, "too-short");
        BootstrapProperties weakPassword = new BootstrapProperties(TestData.unique("boot"), null,
                TestData.uniqueEmail("boot"), "short", null);
        BootstrapProperties badSlug = new BootstrapProperties("Not A Slug!", null, TestData.uniqueEmail("boot"),
                null, null);

        assertThatThrownBy(() -> runner(noEmail).apply()).hasMessageContaining("ROSTER_BOOTSTRAP_ADMIN_EMAIL");
        assertThatThrownBy(() -> runner(shortToken).apply()).hasMessageContaining("ROSTER_BOOTSTRAP_API_TOKEN");
        assertThatThrownBy(() -> runner(weakPassword).apply()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> runner(badSlug).apply()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("slug");
        assertThat(organizations.findBySlug(weakPassword.org())).as("one transaction: nothing half-written").isEmpty();
        assertThat(accounts.findByEmail(badSlug.adminEmail())).isEmpty();
    }

    @Test
    void withoutSettingsDoesNothing() {
        assertThat(runner(BootstrapProperties.none()).apply()).isEqualTo(Bootstrap.Outcome.nothing());
    }

    private BootstrapProperties settings() {
        String slug = TestData.unique("boot");
        return new BootstrapProperties(slug, "Bootstrapped " + slug, TestData.uniqueEmail("operator"), PASSWORD,
                "ops-" + UUID.randomUUID() + UUID.randomUUID());
    }

    private Bootstrap runner(BootstrapProperties settings) {
        return new Bootstrap(settings, organizations, accounts, members, memberships, tokens, transactions);
    }

    private void assertSingleRows(BootstrapProperties settings) {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM organization WHERE slug = ?").param(settings.org())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account WHERE email_normalized = ?")
                .param(settings.adminEmail().toLowerCase()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM membership m JOIN organization o ON o.id = m.organization_id WHERE o.slug = ?""")
                .param(settings.org()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM api_token t JOIN account a ON a.id = t.account_id
                WHERE a.email_normalized = ? AND t.name = 'bootstrap'""")
                .param(settings.adminEmail().toLowerCase()).query(Long.class).single()).isEqualTo(1);
    }
}
