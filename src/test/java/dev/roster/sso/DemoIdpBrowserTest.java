package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.PageQuery;
import dev.roster.test.BrowserTest;
import dev.roster.test.TestConfiguration;
import dev.roster.test.TestEnvironment;
import dev.roster.sso.demo.DemoIdp;
import dev.roster.sso.demo.DemoIdpSetup;

/**
 * A newcomer's first single sign-on, in a real browser, as the README tells them to try it: the demo profile's mock
 * Entra ID, a person picked there, the signed response posted to Roster, and the member provisioned just in time
 * in Acme with teams from their groups; as Acme's admin (the Roster Admins group) they find both demo connections
 * under Single sign-on, the groups by name, and the demo directory under Provisioning. Its own context (the demo profile, on a database of its own) on a known port,
 * because the demo IdP sends the browser to absolute URLs built from {@code roster.base-url}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({"test", "demo"})
@ContextConfiguration(initializers = DemoIdpBrowserTest.KnownPort.class)
@Import(TestConfiguration.class)
class DemoIdpBrowserTest extends BrowserTest {

    @Autowired
    OrganizationService organizations;
    @Autowired
    MemberReads members;
    @Autowired
    DemoIdpSetup setup;

    @Test
    void aNewcomerSignsInThroughTheDemoEntraIdpAndJoinsWithTeams() {
        browser.open("/demo-idp");
        browser.screenshot("demo-idp");
        browser.clickText("main", "Sign in with Demo Entra ID (mock)");
        browser.waitForPath("/demo-idp/entra/sso");
        browser.screenshot("demo-idp-choose");
        browser.clickText("main", "Sign in as Ada Lovelace");
        browser.waitForPath("/demo-idp/entra/sso");
        browser.clickText("main", "Continue to Roster");
        browser.waitForPath("/");

        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.mainText()).contains("Your organizations", "Acme Corp");
        browser.screenshot("demo-idp-signed-in");
        var demo = organizations.findBySlug("acme").orElseThrow();
        Member ada = members.list(demo.id(), new MemberReads.MemberFilter("ada@contoso-demo.test", null, null,
                null), PageQuery.of(0, 1)).items().get(0);
        assertThat(ada.teams()).extracting(g -> g.teamName()).containsExactly("Engineering");

        browser.open("/orgs/acme/manage/sso");
        assertThat(browser.mainText()).contains("Demo Entra ID (mock)", "Demo Okta (mock)")
                .doesNotContain("No SSO connection yet");
        browser.open("/orgs/acme/manage/sso/connections/" + setup.connectionId("entra").orElseThrow() + "/access");
        var engineering = browser.findAll("table.mappings tbody tr").stream()
                .filter(row -> row.getText().contains(DemoIdp.ENTRA_ENGINEERING)).findFirst().orElseThrow();
        var name = engineering.findElement(org.openqa.selenium.By.cssSelector(".group-name"));
        assertThat(name.getText()).isEqualTo("Engineering");
        assertThat(name.getDomAttribute("title")).isEqualTo("ID: " + DemoIdp.ENTRA_ENGINEERING);
        browser.screenshot("demo-acme-sso-mappings");
        browser.open("/orgs/acme/manage/provisioning");
        assertThat(browser.mainText()).contains("Acme Entra ID (demo)").doesNotContain("No SCIM directory yet");
        browser.clickText("main", "Acme Entra ID (demo)");
        browser.waitForPath("/orgs/acme/manage/provisioning/directories/");
        assertThat(browser.text("table.groups")).contains("All staff", "Engineering", "Design", "Roster Admins");
        browser.screenshot("demo-acme-provisioning");
    }

    /** A database of its own, and a free port chosen up front so {@code roster.base-url} can name it. */
    static class KnownPort extends TestEnvironment.OwnDatabase {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            super.initialize(context);
            int port = freePort();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("demo-browser-port",
                    Map.of("server.port", port, "roster.base-url", "http://localhost:" + port)));
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
