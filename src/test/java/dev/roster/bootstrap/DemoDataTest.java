package dev.roster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.roster.account.AccountService;
import dev.roster.membership.MembershipService;
import dev.roster.membership.TeamService;
import dev.roster.organization.OrganizationService;
import dev.roster.resource.ResourceService;
import dev.roster.shared.RosterProperties;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestSession;

/**
 * The demo data seeder, built here from the shared context's beans because the test context does not run the demo
 * profile.
 */
@RosterIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DemoDataTest {

    private static final Pattern PASSWORD = Pattern.compile("password:\\s+(\\S+)");

    @Autowired
    OrganizationService organizations;
    @Autowired
    AccountService accounts;
    @Autowired
    MembershipService memberships;
    @Autowired
    TeamService teams;
    @Autowired
    ResourceService resources;
    @Autowired
    RosterProperties properties;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestApi api;

    @Test
    void seedsAcmeOnceAndPrintsTheAdminPasswordOnlyThen(CapturedOutput output) throws Exception {
        DemoData seeder = new DemoData(organizations, accounts, memberships, teams, resources, properties, transactions);

        seeder.run(null);

        Matcher printed = PASSWORD.matcher(output.getOut());
        assertThat(printed.find()).as("the first start prints the admin password").isTrue();
        String password = printed.group(1);
        assertThat(output.getOut()).contains("admin@acme.test").contains("/login");
        UUID orgId = organizations.findBySlug("acme").orElseThrow().id();
        Map<String, Long> before = counts(orgId);
        assertThat(organizations.get(orgId).name()).isEqualTo("Acme Corp");
        assertThat(before.get("members")).isEqualTo(8);
        assertThat(before.get("admins")).isEqualTo(2);
        assertThat(before.get("audit")).isGreaterThan(15);
        assertThat(jdbc.sql("SELECT name FROM team WHERE organization_id = ? ORDER BY name").param(orgId)
                .query(String.class).list()).containsExactly("Data", "Platform", "Security");
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM membership m WHERE m.organization_id = ?
                AND NOT EXISTS (SELECT 1 FROM team_membership tm WHERE tm.membership_id = m.id)""")
                .param(orgId).query(Long.class).single()).as("one member has no team").isEqualTo(1);
        assertThat(jdbc.sql("SELECT DISTINCT source FROM membership WHERE organization_id = ?").param(orgId)
                .query(String.class).list()).contains("INVITATION", "SSO", "SCIM");
        assertThat(jdbc.sql("SELECT DISTINCT owner_type FROM resource WHERE organization_id = ?").param(orgId)
                .query(String.class).list()).as("resources of every kind of owner")
                .containsExactlyInAnyOrder("ORGANIZATION", "TEAM", "MEMBER");
        assertThat(jdbc.sql("SELECT DISTINCT channel FROM audit_event WHERE organization_id = ?").param(orgId)
                .query(String.class).list()).contains("SYSTEM", "SSO", "SCIM");

        seeder.run(null);
        assertThat(seeder.seed()).isEmpty();

        assertThat(counts(orgId)).isEqualTo(before);
        assertThat(output.getOut().split(Pattern.quote(password), -1)).as("printed once, on the first start only")
                .hasSize(2);
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn("admin@acme.test", password).location()).doesNotContain("error");
        assertThat(browser.get("/").body()).contains("Acme Corp").contains("href=\"/orgs/acme\"");
    }

    private Map<String, Long> counts(UUID orgId) {
        return Map.of(
                "resources", count("SELECT COUNT(*) FROM resource WHERE organization_id = ?", List.of(orgId)),
                "organizations", count("SELECT COUNT(*) FROM organization WHERE slug = 'acme'", List.of()),
                "members", count("SELECT COUNT(*) FROM membership WHERE organization_id = ?", List.of(orgId)),
                "admins", count("SELECT COUNT(*) FROM membership WHERE organization_id = ? AND admin = TRUE",
                        List.of(orgId)),
                "teams", count("SELECT COUNT(*) FROM team WHERE organization_id = ?", List.of(orgId)),
                "grants", count("SELECT COUNT(*) FROM team_membership WHERE organization_id = ?", List.of(orgId)),
                "accounts", count("SELECT COUNT(*) FROM account WHERE email_normalized LIKE '%@acme.test'", List.of()),
                "audit", count("SELECT COUNT(*) FROM audit_event WHERE organization_id = ?", List.of(orgId)));
    }

    private long count(String sql, List<Object> params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }
}
