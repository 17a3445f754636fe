package dev.roster.sso.access;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.mail.MailOutbox;
import dev.roster.mail.MailTemplates;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.PageQuery;
import dev.roster.shared.RosterProperties;
import dev.roster.shared.web.DisplayTime;
import dev.roster.twofactor.TwoFactorService;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * The way back when single sign-on is enforced: an organization's admins keep signing in with their password and
 * second factor (break-glass), so an IdP that is down, misconfigured or does not know an admin's address cannot lock
 * the organization out of Roster. The organization may remove the break-glass, but only an admin who signs in through
 * SSO can, and while no active admin could sign in through SSO it applies anyway.
 */
@Service
@Transactional(readOnly = true)
public class SsoBreakGlass {

    private final SsoSettingsRepository settings;
    private final SsoAccessRepository access;
    private final MemberReads members;
    private final AccountService accounts;
    private final TwoFactorService twoFactor;
    private final SsoDomainService domains;
    private final SsoConnectionRepository connections;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final OrganizationService organizations;
    private final RosterProperties roster;
    private final Clock clock;

    SsoBreakGlass(SsoSettingsRepository settings, SsoAccessRepository access, MemberReads members,
                  AccountService accounts, TwoFactorService twoFactor, SsoDomainService domains,
                  SsoConnectionRepository connections, AuditLog audit, MailOutbox outbox, MailTemplates templates,
                  OrganizationService organizations, RosterProperties roster, Clock clock) {
        this.outbox = outbox;
        this.templates = templates;
        this.organizations = organizations;
        this.roster = roster;
        this.settings = settings;
        this.access = access;
        this.members = members;
        this.accounts = accounts;
        this.twoFactor = twoFactor;
        this.domains = domains;
        this.connections = connections;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What enforcing single sign-on for the organization's verified domains does to password sign-in, with the
     * break-glass setting as it is now.
     *
     * @param domains the organization's verified domains
     * @param losingPasswordSignIn accounts with a password at those domains that could no longer use it
     * @param adminsKeepingBreakGlass admins at those domains who keep password and second-factor sign-in
     * @param adminsWithoutSecondFactor admins at those domains who lose password sign-in for want of a second factor
     * @param adminsSigningInAfterwards admins who could still sign in at all: outside those domains, through
     *                                  break-glass, or through SSO
     */
    public record Impact(List<String> domains, long losingPasswordSignIn, int adminsKeepingBreakGlass,
                         int adminsWithoutSecondFactor, int adminsSigningInAfterwards, boolean breakGlass) {
    }

    /** Whether the organization's admins keep password and second-factor sign-in while SSO is enforced. */
    public boolean allowed(UUID organizationId) {
        return settings.adminBreakGlass(organizationId).orElse(true);
    }

    /**
     * Whether the account, whose password was just proven, keeps password sign-in although the organization enforces
     * SSO for its domain: an active admin with a second factor (the sign-in then asks for it), while the
     * organization keeps the break-glass, or while no active admin could sign in through SSO.
     */
    public boolean exempts(UUID organizationId, UUID accountId) {
        Member admin = activeAdmins(organizationId).stream().filter(m -> m.accountId().equals(accountId))
                .findFirst().orElse(null);
        if (admin == null || !twoFactor.isEnrolled(accountId)) {
            return false;
        }
        return allowed(organizationId) || activeAdmins(organizationId).stream()
                .noneMatch(m -> signsInThroughSso(organizationId, m.accountId()));
    }

    /** What enforcing SSO would do now; see {@link Impact}. */
    public Impact impact(UUID organizationId) {
        return impact(organizationId, domains.verifiedDomains(organizationId));
    }

    /**
     * What enforced SSO does to password sign-in at the given domains (a domain about to be verified, say), with the
     * break-glass setting as it is now; see {@link Impact}.
     */
    public Impact impact(UUID organizationId, List<String> domains) {
        List<String> verified = domains.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).toList();
        Set<String> atDomains = Set.copyOf(verified);
        boolean breakGlass = allowed(organizationId);
        List<Member> admins = activeAdmins(organizationId);
        boolean anyThroughSso = admins.stream().anyMatch(m -> signsInThroughSso(organizationId, m.accountId()));
        int keeping = 0;
        int withoutSecondFactor = 0;
        int afterwards = 0;
        for (Member admin : admins) {
            boolean atDomain = EmailAddress.parse(admin.email()).map(e -> atDomains.contains(e.domain()))
                    .orElse(false);
            boolean throughSso = signsInThroughSso(organizationId, admin.accountId());
            if (!atDomain) {
                afterwards++;
                continue;
            }
            boolean hasPassword = accounts.find(admin.accountId()).map(a -> a.hasPassword()).orElse(false);
            boolean secondFactor = twoFactor.isEnrolled(admin.accountId());
            boolean glass = hasPassword && secondFactor && (breakGlass || !anyThroughSso);
            if (glass) {
                keeping++;
            }
            else if (hasPassword && !secondFactor) {
                withoutSecondFactor++;
            }
            if (glass || throughSso) {
                afterwards++;
            }
        }
        long losing = Math.max(0, accounts.countWithPasswordAt(verified) - keeping);
        return new Impact(verified, losing, keeping, withoutSecondFactor, afterwards, breakGlass);
    }

    /**
     * Keeps or removes the break-glass. Removing it is refused unless the admin who asks signs in through SSO
     * themselves: whoever holds only a password admin's session (stolen, or left open) cannot lock the other admins
     * out, and the organization keeps at least one admin who can sign in.
     */
    @Transactional
    public void set(UUID organizationId, boolean allowed, Actor actor) {
        boolean before = allowed(organizationId);
        if (before == allowed) {
            return;
        }
        if (!allowed && (actor.accountId() == null || activeAdmins(organizationId).stream()
                .noneMatch(m -> m.accountId().equals(actor.accountId()))
                || !signsInThroughSso(organizationId, actor.accountId()))) {
            throw new ConflictException("sso-sign-in-needed", "Only an admin who signs in through single sign-on "
                    + "can remove the admins' password sign-in: sign in through one of this organization's "
                    + "identity providers first, so that someone can still sign in afterwards.");
        }
        settings.saveAdminBreakGlass(organizationId, allowed, clock.instant());
        audit.record(organizationId, actor, "sso.break-glass-changed",
                AuditTarget.of("organization", organizationId, "admin password sign-in"),
                Map.of("adminBreakGlass", before), Map.of("adminBreakGlass", allowed));
        // Every admin hears of it, in the same transaction: a change made with someone else's session does not go
        // unnoticed by the people it concerns.
        Organization organization = organizations.get(organizationId);
        String link = roster.url("/orgs/" + organization.slug() + "/manage/sso#break-glass");
        for (Member admin : activeAdmins(organizationId)) {
            outbox.enqueue(organizationId, admin.email(), (allowed ? "Restored" : "Removed")
                    + ": admins' password sign-in for " + organization.name(), templates.render("sso-break-glass", Map.of("name", admin.displayName(),
                    "actor", actor.label(), "removed", !allowed, "organization", organization.name(),
                    "when", DisplayTime.inWords(clock.instant()), "link", link)));
        }
    }

    private List<Member> activeAdmins(UUID organizationId) {
        return members.list(organizationId, new MemberReads.MemberFilter(null, MembershipStatus.ACTIVE, true, null),
                PageQuery.of(0, PageQuery.MAX_SIZE)).items();
    }

    /** Whether the account has signed in through an enabled connection of the organization. */
    private boolean signsInThroughSso(UUID organizationId, UUID accountId) {
        Set<UUID> enabled = connections.list(organizationId).stream().filter(SsoConnection::enabled)
                .map(SsoConnection::id).collect(java.util.stream.Collectors.toSet());
        return access.identityConnections(organizationId, accountId).stream().anyMatch(enabled::contains);
    }
}
