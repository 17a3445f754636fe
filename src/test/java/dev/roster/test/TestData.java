package dev.roster.test;

import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;

/**
 * Builds organizations and people through the application's own services, each with unique names, so tests never
 * depend on one another's data in the shared database.
 */
public class TestData {

    public static final String PASSWORD = "correct horse battery staple";
    private static final Actor SETUP = Actor.system("test setup");

    private OrganizationService organizations;
    private AccountService accounts;
    private MembershipService memberships;
    private ApiTokenService tokens;

    /** A person with a password and a personal API token. */
    public record Person(Account account, String token) {

        public UUID id() {
            return account.id();
        }

        public String email() {
            return account.email();
        }
    }

    /** An organization with its first admin. */
    public record Org(Organization organization, Person admin, Membership adminMembership) {

        public UUID id() {
            return organization.id();
        }

        public String slug() {
            return organization.slug();
        }

        public String api(String path) {
            return "/api/v1/orgs/" + organization.slug() + path;
        }
    }

    @Autowired
    void wire(@Lazy OrganizationService organizations, @Lazy AccountService accounts,
              @Lazy MembershipService memberships, @Lazy ApiTokenService tokens) {
        this.organizations = organizations;
        this.accounts = accounts;
        this.memberships = memberships;
        this.tokens = tokens;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String uniqueEmail(String prefix) {
        return unique(prefix) + "@example.test";
    }

    public Org org() {
        String slug = unique("org");
        Organization organization = organizations.create(slug, "Org " + slug, SETUP);
        Person admin = person("admin");
        Membership membership = memberships.join(organization.id(), admin.id(),
                new MembershipService.Join(true, MembershipSource.BOOTSTRAP, Set.of(), GrantSource.MANUAL), SETUP);
        return new Org(organization, admin, membership);
    }

    public Person person(String prefix) {
        Account account = accounts.create(new EmailAddress(uniqueEmail(prefix)), "Test " + prefix, PASSWORD, SETUP);
        String token = tokens.create(account.id(), "tests", null, SETUP).secret();
        return new Person(account, token);
    }

    public Membership join(Org org, Person person, boolean admin) {
        return memberships.join(org.id(), person.id(),
                new MembershipService.Join(admin, MembershipSource.INVITATION, Set.of(), GrantSource.MANUAL), SETUP);
    }

    /** A new person who is a member (or admin) of the organization. */
    public Person member(Org org, boolean admin) {
        Person person = person(admin ? "admin" : "member");
        join(org, person, admin);
        return person;
    }
}
