package dev.roster.sso.connection;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerifiedDomain;

/**
 * Work no request triggers: fetching IdP metadata from URLs again, warning about IdP certificates that expire soon,
 * and applying the domains an operator marked verified ({@code roster.sso.verified-domains}) at start-up.
 */
@Component
public class SsoMaintenance implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SsoMaintenance.class);
    private static final Actor SYSTEM = Actor.system("sso maintenance");

    private final SsoConnectionRepository connections;
    private final SsoConnectionService service;
    private final SsoDomainService domains;
    private final OrganizationService organizations;
    private final SsoProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SsoMaintenance(SsoConnectionRepository connections, SsoConnectionService service, SsoDomainService domains,
                   OrganizationService organizations, SsoProperties properties, TransactionTemplate transactions,
                   Clock clock) {
        this.connections = connections;
        this.service = service;
        this.domains = domains;
        this.organizations = organizations;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Every connection whose metadata is older than the refresh interval is fetched again; several instances may
     * do it at once, which only repeats an idempotent fetch.
     */
    @Scheduled(fixedDelayString = "PT15M", initialDelayString = "PT3M")
    public void refreshDueMetadata() {
        Instant due = clock.instant().minus(properties.metadata().refreshInterval());
        for (SsoConnection connection : connections.withMetadataUrl()) {
            if (connection.metadataRefreshedAt() == null || connection.metadataRefreshedAt().isBefore(due)) {
                transactions.executeWithoutResult(status -> service.refresh(connection, SYSTEM));
            }
        }
    }

    /** Logs a warning a day for each IdP certificate close to expiry; the API shows the same warnings to admins. */
    @Scheduled(fixedDelayString = "PT24H", initialDelayString = "PT5M")
    void warnAboutExpiringCertificates() {
        for (SsoConnection connection : connections.withAnyMetadata()) {
            ConnectionView view = service.view(connection);
            view.warnings().stream().filter(w -> w.startsWith("The IdP signing certificate"))
                    .forEach(w -> log.warn("SSO connection {} ({}) of organization {}: {}", connection.id(),
                            connection.name(), connection.organizationId(), w));
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        applyOperatorDomains(properties.verifiedDomains());
    }

    public void applyOperatorDomains(List<String> entries) {
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 1) {
                log.warn("roster.sso.verified-domains entry '{}' is not org-slug:domain; ignored", entry);
                continue;
            }
            String slug = entry.substring(0, colon).trim();
            String domain = entry.substring(colon + 1).trim();
            Organization org = organizations.findBySlug(slug).orElse(null);
            if (org == null) {
                log.warn("roster.sso.verified-domains: no organization '{}'; {} not verified", slug, domain);
                continue;
            }
            try {
                UUID id = domains.list(org.id()).stream()
                        .filter(d -> d.domain().equals(SsoDomainService.normalize(domain))).findFirst()
                        .map(VerifiedDomain::id)
                        .orElseGet(() -> domains.claim(org.id(), domain, SYSTEM).id());
                domains.markVerifiedByOperator(org.id(), id, SYSTEM);
            }
            catch (ConflictException ex) {
                log.warn("roster.sso.verified-domains: {} for {}: {}", domain, slug, ex.getMessage());
            }
        }
    }
}
