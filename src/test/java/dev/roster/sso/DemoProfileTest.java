package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.PageQuery;
import dev.roster.test.TestApi;
import dev.roster.test.TestConfiguration;
import dev.roster.test.TestEnvironment;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoConnectionService;
import dev.roster.sso.demo.DemoIdp;
import dev.roster.sso.demo.DemoIdpSetup;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.connection.ConnectionRequest;

/**
 * The demo profile's mock IdP, end to end as a newcomer clicks through it: Roster's AuthnRequest, the mock IdP's
 * person picker, its signed response posted to the ACS, and the member provisioned in Acme, the demo organization the
 * README names, with teams from their groups, although Acme has a (demo) SCIM directory. Deliberately its own application context (profiles test + demo): the mock IdP must not
 * exist in the shared test context, which {@link DemoIdpAbsentTest} proves. It seeds the demo organization, so it
 * gets a database of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "demo"})
@ContextConfiguration(initializers = TestEnvironment.OwnDatabase.class)
@Import(TestConfiguration.class)
class DemoProfileTest {

    private static final dev.roster.shared.Actor SETUP = dev.roster.shared.Actor.system("test setup");

    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

    @Autowired
    TestApi api;
    @Autowired
    DemoIdpSetup setup;
    @Autowired
    OrganizationService organizations;
    @Autowired
    MemberReads members;
    @Autowired
    SsoAccessService access;
    @Autowired
    SsoConnectionService connections;
    @Autowired
    SsoDomainService domains;
    @Autowired
    DemoIdp idp;
    @Autowired
    dev.roster.scim.directory.ScimDirectoryService directories;

    @Test
    void aNewcomerSignsInThroughTheMockEntraIdpAndIsProvisionedWithTeams() {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String overview = browser.get("/demo-idp").body();
        assertThat(overview).contains("Ada Lovelace").contains("Demo only");

        String connection = setup.connectionId("entra").orElseThrow().toString();
        SamlBrowser.Page toIdp = browser.get("/saml2/authenticate/" + connection);
        assertThat(toIdp.location()).startsWith("http://localhost:8080/demo-idp/entra/sso?SAMLRequest=");
        URI idpUrl = URI.create(toIdp.location());
        SamlBrowser.Page picker = browser.get(idpUrl.getRawPath() + "?" + idpUrl.getRawQuery());
        assertThat(picker.status()).isEqualTo(200);
        Map<String, String> adaForm = form(picker.body(), "Sign in as Ada Lovelace");

        SamlBrowser.Page signed = browser.post("/demo-idp/entra/sso", adaForm);
        assertThat(signed.status()).isEqualTo(200);
        Map<String, String> toRoster = form(signed.body(), "Continue to Roster");
        assertThat(toRoster).containsKey("SAMLResponse");
        SamlBrowser.Page landed = browser.post("/login/saml2/sso/" + connection, toRoster);
        assertThat(landed.location()).as(landed.body()).isEqualTo(api.baseUrl() + "/");

        var demo = organizations.findBySlug("acme").orElseThrow();
        assertThat(organizations.findBySlug("demo")).as("no hidden second demo organization").isEmpty();
        Member ada = members.list(demo.id(), new MemberReads.MemberFilter("ada@contoso-demo.test", null, null,
                null), PageQuery.of(0, 1)).items().get(0);
        assertThat(ada.admin()).isTrue();
        assertThat(ada.teams()).extracting(g -> g.teamName()).containsExactly("Engineering");
    }

    @Test
    void acmeHasTheDemoConnectionsAndADemoDirectoryWhoseGroupsNameTheEntraMappings() {
        var acme = organizations.findBySlug("acme").orElseThrow();
        assertThat(connections.list(acme.id())).extracting(ConnectionView::name)
                .contains("Demo Entra ID (mock)", "Demo Okta (mock)");
        assertThat(directories.list(acme.id(), PageQuery.of(0, 10)).items())
                .extracting(dev.roster.scim.directory.ScimDirectory::name).containsExactly("Acme Entra ID (demo)");
        java.util.UUID entra = setup.connectionId("entra").orElseThrow();
        assertThat(access.mappings(acme.id(), entra)).extracting(GroupMapping::groupValue, GroupMapping::groupDisplayName)
                .contains(org.assertj.core.groups.Tuple.tuple(DemoIdp.ENTRA_ENGINEERING, "Engineering"),
                        org.assertj.core.groups.Tuple.tuple(DemoIdp.ENTRA_ROSTER_ADMINS, "Roster Admins"));
    }

    @Test
    void aDatabaseFromBeforeHasItsDemoConnectionMovedFromTheHiddenOrganizationToAcme() {
        var acme = organizations.findBySlug("acme").orElseThrow();
        DemoIdp.Flavour okta = DemoIdp.FLAVOURS.stream().filter(f -> f.key().equals("okta")).findFirst().orElseThrow();
        // As an earlier version left it: the Okta demo connection and its verified domain in "Demo organization".
        connections.list(acme.id()).stream().filter(c -> c.name().equals(okta.label()))
                .forEach(c -> connections.delete(acme.id(), c.id(), SETUP));
        domains.list(acme.id()).stream().filter(d -> d.domain().equals(okta.domain()))
                .forEach(d -> domains.remove(acme.id(), d.id(), SETUP));
        var former = organizations.create(DemoIdpSetup.FORMER_ORGANIZATION, "Demo organization", SETUP);
        domains.markVerifiedByOperator(former.id(), domains.claim(former.id(), okta.domain(), SETUP).id(), SETUP);
        connections.create(former.id(), new ConnectionRequest("okta", okta.label(), idp.metadataXml(okta), null, true,
                false, false, null, null, null, null, null, null, null), SETUP);

        setup.run(null);

        assertThat(connections.list(former.id())).isEmpty();
        assertThat(domains.list(former.id())).isEmpty();
        assertThat(connections.list(acme.id())).extracting(ConnectionView::name).contains(okta.label());
        assertThat(domains.list(acme.id())).filteredOn(d -> d.domain().equals(okta.domain()))
                .singleElement().satisfies(d -> assertThat(d.verified()).isTrue());
    }

    /** The hidden fields of the form whose submit button has the given text. */
    private static Map<String, String> form(String html, String button) {
        int end = html.indexOf(button);
        assertThat(end).as("button " + button).isPositive();
        int start = html.lastIndexOf("<form", end);
        Matcher matcher = HIDDEN.matcher(html.substring(start, end));
        Map<String, String> fields = new LinkedHashMap<>();
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("&#43;", "+").replace("&#61;", "=")
                    .replace("&#47;", "/"));
        }
        return fields;
    }
}
