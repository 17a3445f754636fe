package dev.roster.bootstrap;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceOwner;
import dev.roster.resource.ResourceService;
import dev.roster.organization.OrganizationSettings;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.RosterProperties;

/**
 * The demo organization for {@code ./mvnw spring-boot:run} (profile {@code demo}): Acme Corp with an admin, three
 * teams, members who joined by invitation, single sign-on and SCIM, and the audit history all that leaves. Created
 * through the application's own services on the first start only; the admin's random password is logged once, after
 * the transaction commits, and kept nowhere but as a hash in the database. Later starts find the organization and
 * add nothing.
 */
@Component
@ConditionalOnProperty(name = "roster.demo.enabled", havingValue = "true")
@Order(2)
class DemoData implements ApplicationRunner {

    static final String SLUG = "acme";
    static final String NAME = "Acme Corp";
    static final String ADMIN_EMAIL = "admin@acme.test";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final Actor SYSTEM = Actor.system("demo data");
    private static final Actor SSO = Actor.directory("Acme Okta (demo)", Channel.SSO);
    private static final Actor SCIM = Actor.directory("Acme Entra ID (demo)", Channel.SCIM);
    private static final String PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int ATTEMPTS = 3;

    private final OrganizationService organizations;
    private final AccountService accounts;
    private final MembershipService memberships;
    private final TeamService teams;
    private final ResourceService resources;
    private final RosterProperties properties;
    private final TransactionTemplate transaction;
    private final SecureRandom random = new SecureRandom();

    DemoData(OrganizationService organizations, AccountService accounts, MembershipService memberships,
             TeamService teams, ResourceService resources, RosterProperties properties,
             PlatformTransactionManager transactionManager) {
        this.resources = resources;
        this.organizations = organizations;
        this.accounts = accounts;
        this.memberships = memberships;
        this.teams = teams;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** A demo member: how they joined, and the teams their joining channel put them in. */
    private record Person(String email, String name, MembershipSource source, List<String> teams) {
    }

    private static final List<Person> MEMBERS = List.of(
            new Person("grace@acme.test", "Grace Hopper", MembershipSource.INVITATION, List.of("Platform")),
            new Person("linus@acme.test", "Linus Torvalds", MembershipSource.SSO, List.of("Platform")),
            new Person("ada@acme.test", "Ada Lovelace", MembershipSource.INVITATION, List.of("Data")),
            new Person("edgar@acme.test", "Edgar Codd", MembershipSource.SCIM, List.of("Data")),
            new Person("barbara@acme.test", "Barbara Liskov", MembershipSource.INVITATION, List.of("Data", "Security")),
            new Person("whitfield@acme.test", "Whitfield Diffie", MembershipSource.SCIM, List.of("Security")),
            new Person("radia@acme.test", "Radia Perlman", MembershipSource.INVITATION, List.of()));

    @Override
    public void run(ApplicationArguments args) {
        seed().ifPresent(this::announce);
    }

    /** Creates the demo organization unless it exists; returns the admin's password when this call created it. */
    Optional<String> seed() {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> seedOnce());
            }
            catch (DuplicateKeyException | ConflictException raced) {
                // Another instance seeded at the same moment; the next attempt finds its organization.
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private Optional<String> seedOnce() {
        if (organizations.findBySlug(SLUG).isPresent()) {
            return Optional.empty();
        }
        Organization org = organizations.create(SLUG, "Acme", SYSTEM);
        organizations.updateSettings(org.id(), new OrganizationSettings(NAME, null), SYSTEM);
        Map<String, Team> byName = new LinkedHashMap<>();
        Map<String, Membership> byEmail = new LinkedHashMap<>();
        byName.put("Platform", teams.create(org.id(), "Platform", "Runs the build, deploy and hosting stack.", SYSTEM));
        byName.put("Data", teams.create(org.id(), "Data", "Owns the warehouse and the pipelines into it.", SYSTEM));
        byName.put("Security", teams.create(org.id(), "Security", null, SYSTEM));
        teams.update(org.id(), byName.get("Security").id(), null, "Keeps the keys, reviews access.", SYSTEM);

        String password = newPassword();
        Optional<Account> existingAdmin = accounts.findByEmail(ADMIN_EMAIL);
        Account admin = existingAdmin.orElseGet(() ->
                accounts.create(new EmailAddress(ADMIN_EMAIL), "Alex Admin", password, SYSTEM));
        memberships.join(org.id(), admin.id(), new MembershipService.Join(true, MembershipSource.BOOTSTRAP,
                Set.of(byName.get("Platform").id()), GrantSource.MANUAL), SYSTEM);

        for (Person person : MEMBERS) {
            Account account = accounts.findByEmail(person.email()).orElseGet(() ->
                    accounts.create(new EmailAddress(person.email()), person.name(), null, actorFor(person)));
            Set<UUID> teamIds = Set.copyOf(person.teams().stream().map(name -> byName.get(name).id()).toList());
            GrantSource teamSource = switch (person.source()) {
                case SSO -> GrantSource.SSO;
                case SCIM -> GrantSource.SCIM;
                default -> GrantSource.MANUAL;
            };
            Membership membership = memberships.join(org.id(), account.id(),
                    new MembershipService.Join(false, person.source(), teamIds, teamSource), actorFor(person));
            byEmail.put(person.email(), membership);
            if (person.email().startsWith("grace@")) {
                memberships.setAdmin(org.id(), membership.id(), true, actorFor(person));
            }
        }
        seedResources(org, byName, byEmail);
        return existingAdmin.isPresent() ? Optional.empty() : Optional.of(password);
    }

    /** One of each kind of owner, so the access decisions and listings have something to show. */
    private void seedResources(Organization org, Map<String, Team> teamsByName, Map<String, Membership> byEmail) {
        resources.create(org.id(), ResourceKind.PROJECT, "Company handbook", ResourceOwner.organization(), SYSTEM);
        resources.create(org.id(), ResourceKind.ENVIRONMENT, "Staging", ResourceOwner.organization(), SYSTEM);
        resources.create(org.id(), ResourceKind.ENVIRONMENT, "Production",
                ResourceOwner.team(teamsByName.get("Platform").id()), SYSTEM);
        resources.create(org.id(), ResourceKind.PROJECT, "Deploy pipeline",
                ResourceOwner.team(teamsByName.get("Platform").id()), SYSTEM);
        resources.create(org.id(), ResourceKind.DATA_STORE, "Warehouse",
                ResourceOwner.team(teamsByName.get("Data").id()), SYSTEM);
        resources.create(org.id(), ResourceKind.DATA_STORE, "Audit archive",
                ResourceOwner.team(teamsByName.get("Security").id()), SYSTEM);
        resources.create(org.id(), ResourceKind.PROJECT, "Radia's sandbox",
                ResourceOwner.member(byEmail.get("radia@acme.test").id()), SYSTEM);
    }

    private static Actor actorFor(Person person) {
        return switch (person.source()) {
            case SSO -> SSO;
            case SCIM -> SCIM;
            default -> SYSTEM;
        };
    }

    private String newPassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                password.append('-');
            }
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private void announce(String password) {
        log.warn("""

                ==========================================================================
                  Roster demo organization "{}" is ready. Sign in as its admin:

                    {}
                    email:     {}
                    password:  {}

                  This password is shown only now: Roster keeps only its hash. Change it
                  under Profile once you are in.
                ==========================================================================""",
                NAME, properties.url("/login"), ADMIN_EMAIL, password);
    }
}
