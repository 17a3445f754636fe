package dev.roster.scim.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;

/**
 * DEMO ONLY (profile {@code demo}): Acme's SCIM directory, as Entra ID would have provisioned it, so the demo's
 * Provisioning tab is not empty: the directory and the groups of the demo Entra IdP ({@code sso.DemoIdp}) with the
 * object ids its groups claim carries as their externalIds. Its groups are there to map (none is yet), and they give
 * the Entra connection's group mappings their names. Created on the first start with the demo organization; later
 * starts find the directory and add nothing. No token is printed: the directory's page issues one.
 */
@Component
@Profile("demo")
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class DemoDirectorySetup implements ApplicationRunner {

    static final String ORGANIZATION = "acme";
    static final String NAME = "Acme Entra ID (demo)";
    /** The demo Entra IdP's groups: display name to object id, as in {@code sso.DemoIdp}. */
    static final Map<String, String> GROUPS = Map.of(
            "All staff", "6f1a9e4c-2b7d-4c3e-9a51-0d2f3b4c5d61",
            "Engineering", "0b8f2c1d-7e6a-4f5b-8c9d-1a2b3c4d5e6f",
            "Design", "9c7d5e3f-1a2b-4c6d-8e0f-2b4d6f8a0c1e",
            "Roster Admins", "3e5f7a9b-1c2d-4e6f-8a0b-4c6e8a0b2d4f");

    private static final Logger log = LoggerFactory.getLogger(DemoDirectorySetup.class);
    private static final Actor DEMO = Actor.system("demo setup");

    private final OrganizationService organizations;
    private final ScimDirectoryService directories;
    private final ScimGroupService groups;
    private final TransactionTemplate transaction;

    DemoDirectorySetup(OrganizationService organizations, ScimDirectoryService directories, ScimGroupService groups,
                       PlatformTransactionManager transactions) {
        this.organizations = organizations;
        this.directories = directories;
        this.groups = groups;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void run(ApplicationArguments args) {
        Optional<Organization> acme = organizations.findBySlug(ORGANIZATION);
        if (acme.isEmpty()) {
            log.info("Demo SCIM: no organization {} (roster.demo.enabled is off), so no demo directory", ORGANIZATION);
            return;
        }
        UUID organizationId = acme.get().id();
        boolean exists = directories.list(organizationId, PageQuery.of(0, PageQuery.MAX_SIZE)).items().stream()
                .anyMatch(d -> d.name().equals(NAME));
        if (exists) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            ScimDirectory directory = directories.create(organizationId, NAME, "entra", null, DEMO).directory();
            for (String name : List.of("All staff", "Engineering", "Design", "Roster Admins")) {
                ObjectNode body = ScimJson.nodes().objectNode();
                body.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
                body.put("displayName", name);
                body.put("externalId", GROUPS.get(name));
                groups.create(directory, body);
            }
        });
        log.info("Demo SCIM: {} has the directory \"{}\" with the demo Entra ID's groups", acme.get().name(), NAME);
    }
}
