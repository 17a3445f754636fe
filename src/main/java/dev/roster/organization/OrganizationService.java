package dev.roster.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.twofactor.TwoFactorService;

@Service
public class OrganizationService {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");

    private final OrganizationRepository organizations;
    private final TwoFactorService twoFactor;
    private final AuditLog audit;
    private final Clock clock;

    OrganizationService(OrganizationRepository organizations, TwoFactorService twoFactor, AuditLog audit, Clock clock) {
        this.organizations = organizations;
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Organization create(String slug, String name, Actor actor) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw InvalidRequestException.field("slug",
                    "A slug is 1 to 63 lower-case letters, digits and inner hyphens.");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw InvalidRequestException.field("name", "A name is 1 to 200 characters.");
        }
        if (organizations.findBySlug(slug).isPresent()) {
            throw new ConflictException("slug-taken", "An organization with the slug '" + slug + "' exists.");
        }
        Instant now = clock.instant();
        Organization org = new Organization(Ids.newId(), slug, name.trim(), false, now, now);
        organizations.insert(org);
        audit.record(org.id(), actor, "organization.created", target(org), null, org);
        return org;
    }

    @Transactional(readOnly = true)
    public Optional<Organization> findBySlug(String slug) {
        return organizations.findBySlug(slug);
    }

    @Transactional(readOnly = true)
    public Optional<Organization> find(UUID id) {
        return organizations.findById(id);
    }

    public Organization get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException("Organization not found."));
    }

    /**
     * Changes the name and the two-factor requirement. An admin can require two-factor only once their own account
     * has it: the organization would otherwise refuse them (and their API tokens) on the very next request.
     */
    @Transactional
    public Organization updateSettings(UUID id, OrganizationSettings settings, Actor actor) {
        Organization before = get(id);
        String name = settings.name() == null ? before.name() : settings.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw InvalidRequestException.field("name", "A name is 1 to 200 characters.");
        }
        boolean requireTwoFactor = settings.requireTwoFactor() == null ? before.requireTwoFactor()
                : settings.requireTwoFactor();
        if (name.equals(before.name()) && requireTwoFactor == before.requireTwoFactor()) {
            return before;
        }
        if (requireTwoFactor && !before.requireTwoFactor() && actor.accountId() != null
                && !twoFactor.isEnrolled(actor.accountId())) {
            throw new ConflictException("own-two-factor-required", "Turn on two-factor authentication for your own "
                    + "account first: once it is required, the organization refuses members without it, you included.");
        }
        Organization after = new Organization(before.id(), before.slug(), name, requireTwoFactor, before.createdAt(),
                clock.instant());
        organizations.update(after);
        audit.record(id, actor, "organization.settings-changed", target(after), before, after);
        return after;
    }

    private static AuditTarget target(Organization org) {
        return AuditTarget.of("organization", org.id(), org.slug());
    }
}
