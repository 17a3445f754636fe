package dev.roster.sso.demo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.roster.membership.TeamService;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ConnectionRequest;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnectionService;
import dev.roster.sso.saml.SpUrls;

/**
 * DEMO ONLY (profile {@code demo}): at every start, makes sure the demo organization, Acme (seeded by the bootstrap
 * module), has the mock IdPs connected: teams, verified domains, one connection per flavour with the mock IdP's
 * current certificate, access grants and group mappings, so people signing in at {@code /demo-idp} land in Acme with
 * teams from their groups. The connections apply grants and mappings although Acme has a SCIM directory (SCIM
 * policy PROVISION), as an organization that provisions only some people through SCIM would. Idempotent; runs after
 * the other start-up work. Databases from before the demo moved into Acme had them in a hidden "demo"
 * organization: their demo connections and domains are moved out of it first.
 */
@Component
@Profile("demo")
@Order(Ordered.LOWEST_PRECEDENCE)
public class DemoIdpSetup implements ApplicationRunner {

    public static final String ORGANIZATION = "acme";
    /** Where earlier versions put the demo IdPs, in an organization of their own nobody was told about. */
    public static final String FORMER_ORGANIZATION = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoIdpSetup.class);
    private static final Actor DEMO = Actor.system("demo setup");

    private final DemoIdp idp;
    private final OrganizationService organizations;
    private final TeamService teams;
    private final SsoDomainService domains;
    private final SsoConnectionService connections;
    private final SsoAccessService access;
    private final SpUrls urls;
    private final Map<String, UUID> connectionIds = new ConcurrentHashMap<>();

    DemoIdpSetup(DemoIdp idp, OrganizationService organizations, TeamService teams, SsoDomainService domains,
                 SsoConnectionService connections, SsoAccessService access, SpUrls urls) {
        this.idp = idp;
        this.organizations = organizations;
        this.teams = teams;
        this.domains = domains;
        this.connections = connections;
        this.access = access;
        this.urls = urls;
    }

    public Optional<UUID> connectionId(String flavour) {
        return Optional.ofNullable(connectionIds.get(flavour));
    }

    @Override
    public void run(ApplicationArguments args) {
        leaveFormerOrganization();
        Organization org = organizations.findBySlug(ORGANIZATION)
                .orElseGet(() -> organizations.create(ORGANIZATION, "Acme", DEMO));
        for (String team : List.of("Engineering", "Design", "Support")) {
            if (teams.findByName(org.id(), team).isEmpty()) {
                teams.create(org.id(), team, "Filled by the demo IdPs' group mappings", DEMO);
            }
        }
        for (DemoIdp.Flavour flavour : DemoIdp.FLAVOURS) {
            UUID domainId = domains.list(org.id()).stream().filter(d -> d.domain().equals(flavour.domain()))
                    .findFirst().map(VerifiedDomain::id)
                    .orElseGet(() -> domains.claim(org.id(), flavour.domain(), DEMO).id());
            domains.markVerifiedByOperator(org.id(), domainId, DEMO);
            Optional<ConnectionView> existing = connections.list(org.id()).stream()
                    .filter(c -> c.name().equals(flavour.label())).findFirst();
            ConnectionRequest metadata = new ConnectionRequest(flavour.kind().label(), flavour.label(),
                    idp.metadataXml(flavour), null, true, false, false, ScimPolicy.PROVISION.name(), null, null, null,
                    null, null, null);
            if (existing.isPresent()) {
                // The mock IdP makes a new key pair at every start; the connection learns its certificate again.
                connections.update(org.id(), existing.get().id(), metadata, DEMO);
                connectionIds.put(flavour.key(), existing.get().id());
                continue;
            }
            UUID id = connections.create(org.id(), metadata, DEMO).id();
            connectionIds.put(flavour.key(), id);
            if (flavour.kind() == ConnectionKind.ENTRA) {
                access.addGrant(org.id(), id, "group", DemoIdp.ENTRA_ALL_STAFF, DEMO);
                access.addMapping(org.id(), id, DemoIdp.ENTRA_ENGINEERING, "Engineering", false, DEMO);
                access.addMapping(org.id(), id, DemoIdp.ENTRA_DESIGN, "Design", false, DEMO);
                access.addMapping(org.id(), id, DemoIdp.ENTRA_ROSTER_ADMINS, null, true, DEMO);
            }
            else {
                access.addGrant(org.id(), id, "domain", flavour.domain(), DEMO);
                access.addMapping(org.id(), id, "Engineering", "Engineering", false, DEMO);
                access.addMapping(org.id(), id, "Support", "Support", false, DEMO);
            }
        }
        log.info("Demo SSO: open {} to sign in through the mock Entra ID and Okta identity providers; people join {}",
                urls.url("/demo-idp"), org.name());
    }

    /** Removes the demo connections and domains from the organization earlier versions kept them in. */
    private void leaveFormerOrganization() {
        Optional<Organization> former = organizations.findBySlug(FORMER_ORGANIZATION)
                .filter(o -> "Demo organization".equals(o.name()));
        if (former.isEmpty()) {
            return;
        }
        UUID id = former.get().id();
        for (DemoIdp.Flavour flavour : DemoIdp.FLAVOURS) {
            connections.list(id).stream().filter(c -> c.name().equals(flavour.label()))
                    .forEach(c -> connections.delete(id, c.id(), DEMO));
            domains.list(id).stream().filter(d -> d.domain().equals(flavour.domain()))
                    .forEach(d -> domains.remove(id, d.id(), DEMO));
        }
    }
}
