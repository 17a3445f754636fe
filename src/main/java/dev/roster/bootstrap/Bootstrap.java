package dev.roster.bootstrap;

import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiToken;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.RosterException;

/**
 * Creates the organization, admin account, admin membership and admin API token named by {@link BootstrapProperties}
 * when they are missing, at every start, in one transaction. What exists is never changed: not the organization's
 * name, not a password the admin has changed, not a membership an admin has demoted or removed, not a token an admin
 * has revoked. Several instances may start at once: the one that loses the race on a unique key rolls back, reads
 * what the winner committed, and finds nothing left to do.
 */
@Component
@Order(1)
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private static final Actor ACTOR = Actor.system("bootstrap");
    static final String TOKEN_NAME = "bootstrap";
    private static final int ATTEMPTS = 3;

    private final BootstrapProperties properties;
    private final OrganizationService organizations;
    private final AccountService accounts;
    private final MemberReads members;
    private final MembershipService memberships;
    private final ApiTokenService tokens;
    private final TransactionTemplate transaction;

    Bootstrap(BootstrapProperties properties, OrganizationService organizations, AccountService accounts,
              MemberReads members, MembershipService memberships, ApiTokenService tokens,
              PlatformTransactionManager transactionManager) {
        this.properties = properties;
        this.organizations = organizations;
        this.accounts = accounts;
        this.members = members;
        this.memberships = memberships;
        this.tokens = tokens;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** What one run found missing and created. */
    record Outcome(boolean organizationCreated, boolean adminCreated, boolean membershipCreated, boolean tokenPresent) {

        static Outcome nothing() {
            return new Outcome(false, false, false, false);
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        apply();
    }

    Outcome apply() {
        if (properties.isEmpty()) {
            return Outcome.nothing();
        }
        validate();
        for (int attempt = 1; ; attempt++) {
            try {
                Outcome outcome = transaction.execute(status -> applyOnce());
                report(outcome);
                return outcome;
            }
            catch (DuplicateKeyException | ConflictException raced) {
                // Everything was looked up just before it was created, so a clash means another instance created
                // the same row meanwhile (seen as a unique key violation, or as "exists" once it has committed).
                if (attempt == ATTEMPTS) {
                    throw invalid(raced);
                }
                log.info("Bootstrap: another Roster instance created the same rows at the same time; reading theirs");
            }
            catch (RosterException | IllegalArgumentException | IllegalStateException ex) {
                throw invalid(ex);
            }
        }
    }

    private static IllegalStateException invalid(RuntimeException cause) {
        String fields = cause instanceof RosterException roster && !roster.fieldErrors().isEmpty()
                ? " " + roster.fieldErrors() : "";
        return new IllegalStateException("Bootstrap settings (ROSTER_BOOTSTRAP_*) cannot be applied: "
                + cause.getMessage() + fields, cause);
    }

    private void validate() {
        if (properties.org() == null) {
            throw new IllegalStateException("ROSTER_BOOTSTRAP_ORG (roster.bootstrap.org) is required when any other "
                    + "ROSTER_BOOTSTRAP_* setting is given");
        }
        if (properties.adminEmail() == null) {
            throw new IllegalStateException("ROSTER_BOOTSTRAP_ADMIN_EMAIL (roster.bootstrap.admin-email) is required "
                    + "with ROSTER_BOOTSTRAP_ORG: an organization needs an admin");
        }
        if (!EmailAddress.isValid(properties.adminEmail())) {
            throw new IllegalStateException("ROSTER_BOOTSTRAP_ADMIN_EMAIL is not a valid email address");
        }
        String token = properties.apiToken();
        if (token != null && (token.length() < 32 || token.length() > 512
                || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalStateException("ROSTER_BOOTSTRAP_API_TOKEN must be 32 to 512 printable characters "
                    + "without spaces, such as the output of 'openssl rand -hex 32'");
        }
    }

    private Outcome applyOnce() {
        Optional<Organization> existingOrg = organizations.findBySlug(properties.org());
        Organization org = existingOrg.orElseGet(() -> organizations.create(properties.org(),
                properties.orgName() == null ? properties.org() : properties.orgName(), ACTOR));
        Optional<Account> existingAdmin = accounts.findByEmail(properties.adminEmail());
        Account admin = existingAdmin.orElseGet(() -> accounts.create(new EmailAddress(properties.adminEmail()),
                displayName(properties.adminEmail()), properties.adminPassword(), ACTOR));
        Optional<Membership> existingMembership = members.findByAccount(org.id(), admin.id());
        if (existingMembership.isEmpty()) {
            memberships.join(org.id(), admin.id(),
                    new MembershipService.Join(true, MembershipSource.BOOTSTRAP, Set.of(), GrantSource.MANUAL),
                    ACTOR);
        }
        else if (!existingMembership.get().isActive() || !existingMembership.get().admin()) {
            log.warn("Bootstrap: {} is no longer an active admin of {} (an admin changed that); bootstrap leaves "
                    + "the membership as it is", admin.email(), org.slug());
        }
        boolean tokenPresent = false;
        if (properties.apiToken() != null) {
            ApiToken token = tokens.ensure(admin.id(), TOKEN_NAME, properties.apiToken(), ACTOR);
            tokenPresent = true;
            if (token.revokedAt() != null) {
                log.warn("Bootstrap: ROSTER_BOOTSTRAP_API_TOKEN was revoked on {} and stays revoked; remove it "
                        + "from the environment or set a new one", token.revokedAt());
            }
        }
        if (existingAdmin.isPresent() && properties.adminPassword() != null) {
            log.info("Bootstrap: {} exists, so ROSTER_BOOTSTRAP_ADMIN_PASSWORD is not applied (it is only the "
                    + "initial password)", admin.email());
        }
        return new Outcome(existingOrg.isEmpty(), existingAdmin.isEmpty(), existingMembership.isEmpty(),
                tokenPresent);
    }

    private void report(Outcome outcome) {
        if (outcome.organizationCreated() || outcome.adminCreated() || outcome.membershipCreated()) {
            log.info("Bootstrap: organization {} {}, admin {} {}, membership {}", properties.org(),
                    outcome.organizationCreated() ? "created" : "exists", properties.adminEmail(),
                    outcome.adminCreated() ? "created" : "exists",
                    outcome.membershipCreated() ? "created" : "exists");
        }
        else {
            log.info("Bootstrap: organization {} and admin {} exist; nothing to do", properties.org(),
                    properties.adminEmail());
        }
    }

    /** "jane.doe@example.com" → "jane.doe": a name the admin can change on their profile. */
    private static String displayName(String email) {
        return email.substring(0, email.indexOf('@'));
    }
}
