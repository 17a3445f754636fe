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
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.twofactor.TwoFactorService;

@Service
public class OrganizationService {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");
    /** What an operator may choose: 2 to 40 lower-case letters, digits and hyphens, not starting or ending with one. */
    private static final Pattern OPERATOR_SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$");

    private final OrganizationRepository organizations;
    private final TwoFactorService twoFactor;
    private final AuditLog audit;
    private final OrganizationProperties properties;
    private final Clock clock;

    OrganizationService(OrganizationRepository organizations, TwoFactorService twoFactor, AuditLog audit,
                        OrganizationProperties properties, Clock clock) {
        this.organizations = organizations;
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * An operator's new organization. Stricter slugs than bootstrap's (2 to 40 characters), and a slug stays taken
     * while a deleted organization keeps it, so it is never reused within the retention period.
     */
    @Transactional
    public Organization createForOperator(String slug, String name, Actor actor) {
        if (slug == null || !OPERATOR_SLUG.matcher(slug).matches()) {
            throw InvalidRequestException.field("slug", "A slug is 2 to 40 lower-case letters, digits and hyphens, "
                    + "starting and ending with a letter or digit.");
        }
        Optional<Organization> taken = organizations.findAnyBySlug(slug);
        if (taken.isPresent() && taken.get().deleted()) {
            throw new ConflictException("slug-taken", "The slug '" + slug + "' belongs to an organization deleted on "
                    + taken.get().deletedAt() + "; it stays reserved until its data is purged at "
                    + purgeAfter(taken.get()) + ". Restore that organization or choose another slug.");
        }
        return create(slug, name, actor);
    }

    /** All organizations, live and deleted ({@code deleted} null), or only one kind; by slug. */
    @Transactional(readOnly = true)
    public PageResult<Organization> list(Boolean deleted, PageQuery page) {
        return PageResult.of(organizations.page(deleted, page.size(), page.offset()), page,
                organizations.count(deleted));
    }

    /** When a deleted organization's data is purged; null for a live one. */
    public Instant purgeAfter(Organization org) {
        return org.deletedAt() == null ? null : org.deletedAt().plus(properties.retention());
    }

    /**
     * Soft-deletes an organization: from the next request on nothing reaches it (every look-up of a live
     * organization skips it), and its data is purged once the retention period has passed.
     */
    @Transactional
    public Organization delete(String slug, Actor actor) {
        Organization org = organizations.findBySlug(slug)
                .orElseThrow(() -> new NotFoundException("No organization has the slug '" + slug + "'."));
        Instant now = clock.instant();
        if (!organizations.markDeleted(org.id(), now)) {
            throw new NotFoundException("No organization has the slug '" + slug + "'.");
        }
        audit.record(org.id(), actor, "organization.deleted", target(org), null,
                java.util.Map.of("purgeAfter", now.plus(properties.retention()).toString()));
        return organizations.findAnyBySlug(slug).orElseThrow();
    }

    /** Brings a deleted organization back as it was, within the retention period. */
    @Transactional
    public Organization restore(String slug, Actor actor) {
        Organization org = organizations.findAnyBySlug(slug)
                .orElseThrow(() -> new NotFoundException("No organization has the slug '" + slug + "'."));
        if (!org.deleted()) {
            throw new ConflictException("not-deleted", "The organization '" + slug + "' is not deleted.");
        }
        Instant now = clock.instant();
        if (!organizations.restore(org.id(), now.minus(properties.retention()), now)) {
            throw new ConflictException("retention-ended", "The organization '" + slug + "' was deleted on "
                    + org.deletedAt() + ", more than " + properties.retention().toDays()
                    + " days ago: its data is being purged and it cannot be restored.");
        }
        Organization restored = organizations.findBySlug(slug).orElseThrow();
        audit.record(org.id(), actor, "organization.restored", target(restored),
                java.util.Map.of("deletedAt", org.deletedAt().toString()), null);
        return restored;
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
        String guide = settings.gettingStartedUrl() == null ? before.gettingStartedUrl()
                : gettingStartedUrl(settings.gettingStartedUrl());
        if (name.equals(before.name()) && requireTwoFactor == before.requireTwoFactor()
                && java.util.Objects.equals(guide, before.gettingStartedUrl())) {
            return before;
        }
        if (requireTwoFactor && !before.requireTwoFactor() && actor.accountId() != null
                && !twoFactor.isEnrolled(actor.accountId())) {
            throw new ConflictException("own-two-factor-required", "Turn on two-factor authentication for your own "
                    + "account first: once it is required, the organization refuses members without it, you included.");
        }
        Organization after = new Organization(before.id(), before.slug(), name, requireTwoFactor, before.createdAt(),
                clock.instant(), null, guide);
        organizations.update(after);
        audit.record(id, actor, "organization.settings-changed", target(after), before, after);
        return after;
    }

    /** An absolute HTTPS URL (people follow it from Roster's pages), or null for an empty string. */
    private static String gettingStartedUrl(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(trimmed);
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && trimmed.length() <= 2000) {
                return trimmed;
            }
        }
        catch (java.net.URISyntaxException ex) {
            // refused below
        }
        throw InvalidRequestException.field("gettingStartedUrl",
                "The getting-started page is an https:// address of at most 2,000 characters.");
    }

    private static AuditTarget target(Organization org) {
        return AuditTarget.of("organization", org.id(), org.slug());
    }
}
