package dev.roster.sso.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.linking.DomainClaims;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.SecretToken;

/**
 * Email domains an organization claims, verified by a DNS TXT record (or by an operator, for sites without public
 * DNS). Only one organization can hold a domain verified. A verified domain is what lets an organization's IdP speak
 * for an address: find the connection for it, link it to an existing account, and enforce SSO for it. Published to
 * the account-linking policy as {@link DomainClaims}.
 */
@Service
@Transactional
public class SsoDomainService implements DomainClaims {

    static final String TXT_PREFIX = "_roster-verification.";
    private static final Logger log = LoggerFactory.getLogger(SsoDomainService.class);
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    private final SsoDomainRepository domains;
    private final DnsTxtResolver dns;
    private final AuditLog audit;
    private final Clock clock;

    SsoDomainService(SsoDomainRepository domains, DnsTxtResolver dns, AuditLog audit, Clock clock) {
        this.domains = domains;
        this.dns = dns;
        this.audit = audit;
        this.clock = clock;
    }

    public VerifiedDomain claim(UUID organizationId, String domain, Actor actor) {
        String normalized = normalize(domain);
        if (find(organizationId, normalized).isPresent()) {
            throw new ConflictException("domain-claimed", normalized + " is already claimed by this organization.");
        }
        Instant now = clock.instant();
        UUID id = Ids.newId();
        String token = "roster-verification=" + SecretToken.issue("").value();
        domains.insert(id, organizationId, normalized, token, now);
        audit.record(organizationId, actor, "sso.domain-claimed", target(id, normalized), null,
                Map.of("domain", normalized));
        return get(organizationId, id);
    }

    /**
     * Looks the TXT record up now; answers the domain, verified or not. {@code beforeMarking} runs once the record is
     * found and before anything is written: {@link DomainVerification}, the only caller, asks there for the consent
     * enforced single sign-on needs, so no path verifies a domain without it.
     */
    VerifiedDomain verify(UUID organizationId, UUID domainId, Actor actor, Consumer<VerifiedDomain> beforeMarking) {
        VerifiedDomain domain = get(organizationId, domainId);
        if (domain.verified()) {
            return domain;
        }
        List<String> records;
        try {
            records = dns.txtRecords(domain.txtName());
        }
        catch (RuntimeException ex) {
            log.info("TXT look-up for {} failed: {}", domain.txtName(), ex.getMessage());
            throw new ConflictException("dns-unavailable", "The DNS look-up of " + domain.txtName()
                    + " failed. Try again shortly.");
        }
        if (records.stream().noneMatch(r -> r.trim().equals(domain.txtRecord()))) {
            throw new ConflictException("domain-not-verified", "No TXT record " + domain.txtRecord() + " was found at "
                    + domain.txtName() + ". DNS changes can take a while to appear.");
        }
        beforeMarking.accept(domain);
        return markVerified(organizationId, domain, "DNS", actor);
    }

    /** For operators of air-gapped sites, who vouch for the domain themselves. */
    public VerifiedDomain markVerifiedByOperator(UUID organizationId, UUID domainId, Actor actor) {
        VerifiedDomain domain = get(organizationId, domainId);
        return domain.verified() ? domain : markVerified(organizationId, domain, "OPERATOR", actor);
    }

    public void remove(UUID organizationId, UUID domainId, Actor actor) {
        VerifiedDomain domain = get(organizationId, domainId);
        domains.delete(organizationId, domainId);
        audit.record(organizationId, actor, "sso.domain-removed", target(domainId, domain.domain()),
                Map.of("domain", domain.domain(), "verified", domain.verified()), null);
    }

    @Transactional(readOnly = true)
    public List<VerifiedDomain> list(UUID organizationId) {
        return domains.list(organizationId);
    }

    /** The organization's verified domains (the ones enforced SSO covers), as they are stored: lower case. */
    @Transactional(readOnly = true)
    public List<String> verifiedDomains(UUID organizationId) {
        return domains.list(organizationId).stream().filter(VerifiedDomain::verified).map(VerifiedDomain::domain)
                .toList();
    }

    @Transactional(readOnly = true)
    public VerifiedDomain get(UUID organizationId, UUID domainId) {
        return domains.find(organizationId, domainId).orElseThrow(() -> new NotFoundException("Domain not found."));
    }

    @Transactional(readOnly = true)
    public boolean isVerified(UUID organizationId, String domain) {
        return domains.isVerified(organizationId, domain.toLowerCase(Locale.ROOT));
    }

    /** The organization that holds this domain verified, if any. */
    @Override
    @Transactional(readOnly = true)
    public Optional<UUID> verifiedOwner(String domain) {
        return domains.verifiedOwner(domain.toLowerCase(Locale.ROOT));
    }

    private Optional<VerifiedDomain> find(UUID organizationId, String domain) {
        return domains.findByDomain(organizationId, domain);
    }

    private VerifiedDomain markVerified(UUID organizationId, VerifiedDomain domain, String by, Actor actor) {
        Optional<UUID> owner = verifiedOwner(domain.domain());
        if (owner.isPresent() && !owner.get().equals(organizationId)) {
            throw new ConflictException("domain-taken", domain.domain() + " is verified by another organization.");
        }
        try {
            domains.markVerified(organizationId, domain.id(), domain.domain(), by, clock.instant());
        }
        catch (DuplicateKeyException raced) {
            throw new ConflictException("domain-taken", domain.domain() + " is verified by another organization.");
        }
        audit.record(organizationId, actor, "sso.domain-verified", target(domain.id(), domain.domain()),
                Map.of("verified", false), Map.of("verified", true, "by", by));
        return get(organizationId, domain.id());
    }

    public static String normalize(String domain) {
        String value = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        if (!DOMAIN.matcher(value).matches()) {
            throw InvalidRequestException.field("domain", "Give a domain name such as example.com.");
        }
        return value;
    }

    private static AuditTarget target(UUID id, String domain) {
        return AuditTarget.of("sso-domain", id, domain);
    }
}
