package dev.roster.invitation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.membership.LockedMembership;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.GrantSource;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.sso.SsoRouting;
import dev.roster.sso.SsoTarget;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.SecretToken;

/**
 * The invited person's side: see what a link offers, and accept it, either creating an account or as the account
 * that already has the invited address. A link works once.
 */
@Service
@Transactional
public class InvitationAcceptance {

    private static final int MAX_TOKEN_LENGTH = 200;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final InvitationRepository invitations;
    private final InvitationViews views;
    private final InvitationMails mails;
    private final OrganizationService organizations;
    private final AccountService accounts;
    private final MembershipService memberships;
    private final MemberReads members;
    private final SsoRouting sso;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final InvitationEvents invitationEvents;
    private final Clock clock;

    InvitationAcceptance(InvitationRepository invitations, InvitationViews views, InvitationMails mails,
                         OrganizationService organizations, AccountService accounts, MembershipService memberships,
                         MemberReads members, SsoRouting sso, AuditLog audit, ApplicationEventPublisher events,
                         InvitationEvents invitationEvents, Clock clock) {
        this.invitationEvents = invitationEvents;
        this.sso = sso;
        this.events = events;
        this.invitations = invitations;
        this.views = views;
        this.mails = mails;
        this.organizations = organizations;
        this.accounts = accounts;
        this.memberships = memberships;
        this.members = members;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What a pending invitation offers. Unknown links are 404; links that were valid once (expired, revoked,
     * used) are 410 with the reason.
     */
    @Transactional(readOnly = true)
    public InvitationPreview preview(String token) {
        return preview(locate(token, false));
    }

    private InvitationPreview preview(InvitationRow row) {
        Organization organization = organizations.get(row.organizationId());
        requireOpen(row, organization);
        Invitation.Inviter inviter = row.invitedBy() == null ? null : views.inviter(row.invitedBy()).orElse(null);
        return new InvitationPreview(organization.name(), organization.slug(),
                inviter == null ? null : inviter.displayName(), inviter == null ? null : inviter.email(), row.email(),
                views.teams(row.organizationId(), row.id()).stream().map(Team::name).toList(), row.admin(),
                InvitationStatus.PENDING, row.expiresAt(), accounts.findByEmail(row.email()).isPresent());
    }

    /** Accepts for someone without an account: creates it with the invited address, then joins. */
    public AcceptedInvitation acceptWithNewAccount(String token, String displayName, String password) {
        InvitationRow row = locate(token, true);
        Organization organization = organizations.get(row.organizationId());
        requireOpen(row, organization);
        if (accounts.findByEmail(row.email()).isPresent()) {
            throw new ConflictException("account-exists", "An account for " + row.email()
                    + " exists. Sign in as " + row.email() + " to accept this invitation.");
        }
        Optional<SsoTarget> enforced = ssoEnforcedFor(row.email());
        if (enforced.isPresent()) {
            // A password account would bypass the identity provider the organization requires for this domain.
            throw new ConflictException("sso-required", "Addresses at " + new EmailAddress(row.email()).domain()
                    + " sign in through " + enforced.get().connectionName()
                    + ". Accept this invitation with single sign-on.");
        }
        Account account = accounts.create(new EmailAddress(row.email()), displayName, password,
                new Actor(null, row.email(), Channel.INVITATION));
        return complete(row, organization, account, true, null);
    }

    /** Accepts as a signed-in account, which must be the one with the invited address. */
    /** What an accepted invitation grants: the admin flag and the teams it named. */
    public record InvitationGrant(UUID invitationId, boolean admin, Set<UUID> teamIds) {
    }

    /**
     * A directory (SCIM) provisioned this account: its pending invitation to the organization, if any, is accepted
     * on the person's behalf and what it grants is returned, so the directory's own join applies it. The inviter
     * is told, as on any acceptance.
     */
    public Optional<InvitationGrant> acceptForDirectory(UUID organizationId, Account account, Actor actor) {
        UUID accountId = account.id();
        Instant now = clock.instant();
        Optional<InvitationRow> pending = invitations.lockPending(organizationId,
                EmailAddress.normalize(account.email()), now);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        InvitationRow row = pending.get();
        List<Team> teams = views.teams(organizationId, row.id());
        invitations.close(organizationId, row.id(), InvitationStatus.ACCEPTED, accountId, now);
        audit.record(organizationId, actor, "invitation.accepted", InvitationService.target(row),
                Map.of("status", InvitationStatus.PENDING.apiName()),
                Map.of("status", InvitationStatus.ACCEPTED.apiName(), "account", account.email(),
                        "by", actor.channel().name()));
        invitationEvents.accepted(organizationId, row.id(), actor);
        notifyInviter(row, organizations.get(organizationId), account, teams);
        return Optional.of(new InvitationGrant(row.id(), row.admin(),
                teams.stream().map(Team::id).collect(Collectors.toSet())));
    }

    /**
     * The single sign-on connection the invited address must accept through, if its domain enforces one; with the
     * local path that starts that sign-in and completes this invitation when the person comes back.
     */
    @Transactional(readOnly = true)
    public Optional<SsoAcceptance> ssoAcceptance(String token) {
        InvitationRow row = locate(token, false);
        return ssoEnforcedFor(row.email()).map(target -> new SsoAcceptance(target.connectionName(),
                sso.invitationLoginUrl(target.connectionId(), token)));
    }

    /** Where an invitee whose domain enforces single sign-on goes to accept. */
    public record SsoAcceptance(String connectionName, String loginPath) {
    }

    private Optional<SsoTarget> ssoEnforcedFor(String email) {
        return EmailAddress.parse(email).flatMap(sso::connectionEnforcing);
    }

    public AcceptedInvitation acceptAsAccount(String token, UUID accountId) {
        return acceptAsAccount(locate(token, true), accountId, null);
    }

    /**
     * The pending invitation a token hash names, or empty when it names none or one no longer open (expired, revoked,
     * used). Answered, not thrown, for a caller inside a transaction of its own (a single sign-on): it could not catch
     * an exception of this transactional service without its transaction being marked rollback-only.
     */
    @Transactional(readOnly = true)
    public Optional<InvitationPreview> pendingByTokenHash(String tokenHash) {
        return findByHash(tokenHash, false)
                .filter(row -> row.status(clock.instant()) == InvitationStatus.PENDING)
                .map(this::preview);
    }

    /**
     * {@link #pendingByTokenHash}, the invitation's row locked until the caller's transaction ends, for a caller that
     * goes on to accept it and locks the membership in between (a single sign-on): the invitation first, then the
     * membership, as every acceptance locks them.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<InvitationPreview> lockPendingByTokenHash(String tokenHash) {
        return findByHash(tokenHash, true)
                .filter(row -> row.status(clock.instant()) == InvitationStatus.PENDING)
                .map(this::preview);
    }

    /** {@link #acceptAsAccount}, for an invitation known only by the SHA-256 of its link's token. */
    public AcceptedInvitation acceptAsAccountByTokenHash(String tokenHash, UUID accountId) {
        return acceptAsAccount(locateByHash(tokenHash, true), accountId, null);
    }

    /**
     * {@link #acceptAsAccountByTokenHash(String, UUID)} for the account whose membership of the invitation's
     * organization the caller has locked (after the invitation: {@link #lockPendingByTokenHash}); the join is made
     * on that row without reading it again. Same rules, audit entries and events.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AcceptedInvitation acceptAsAccountByTokenHash(String tokenHash, LockedMembership locked) {
        return acceptAsAccount(locateByHash(tokenHash, true), locked.accountId(), locked);
    }

    /** {@code locked}: the account's membership as the caller holds it, or null for the join to lock it. */
    private AcceptedInvitation acceptAsAccount(InvitationRow row, UUID accountId, LockedMembership locked) {
        Organization organization = organizations.get(row.organizationId());
        requireOpen(row, organization);
        Account account = accounts.get(accountId);
        if (!EmailAddress.normalize(account.email()).equals(row.emailNormalized())) {
            throw new ForbiddenException("invitation-for-another-account", "This invitation is for " + row.email()
                    + ", but you are signed in as " + account.email() + ". Sign in as " + row.email()
                    + " to accept it.");
        }
        return complete(row, organization, account, false, locked);
    }

    private AcceptedInvitation complete(InvitationRow row, Organization organization, Account account,
                                        boolean created, LockedMembership locked) {
        Instant now = clock.instant();
        Actor actor = Actor.account(account.id(), account.email(), Channel.INVITATION);
        List<Team> teams = views.teams(row.organizationId(), row.id());
        Set<UUID> teamIds = teams.stream().map(Team::id).collect(Collectors.toSet());
        MembershipService.Join join = new MembershipService.Join(row.admin(), MembershipSource.INVITATION, teamIds,
                GrantSource.MANUAL);
        if (locked != null && !locked.organizationId().equals(row.organizationId())) {
            throw new IllegalArgumentException("the membership locked is of another organization");
        }
        Membership membership = locked == null ? memberships.join(row.organizationId(), account, join, actor)
                : memberships.join(locked, account, join, actor);
        invitations.close(row.organizationId(), row.id(), InvitationStatus.ACCEPTED, account.id(), now);
        invitationEvents.accepted(row.organizationId(), row.id(), actor);
        audit.record(row.organizationId(), actor, "invitation.accepted", InvitationService.target(row),
                Map.of("status", InvitationStatus.PENDING.apiName()),
                Map.of("status", InvitationStatus.ACCEPTED.apiName(), "account", account.email(),
                        "accountCreated", created));
        notifyInviter(row, organization, account, teams);
        events.publishEvent(new InvitationAccepted(row.organizationId(), row.id(), account.id(), membership.id()));
        return new AcceptedInvitation(organization.id(), organization.slug(), organization.name(), account.id(),
                account.email(), membership.id(), created);
    }

    // Only an inviter who is still an active member hears about it; someone who left the organization should not.
    private void notifyInviter(InvitationRow row, Organization organization, Account member, List<Team> teams) {
        if (row.invitedBy() == null || row.invitedBy().equals(member.id())) {
            return;
        }
        boolean stillMember = members.findByAccount(row.organizationId(), row.invitedBy())
                .filter(Membership::isActive).isPresent();
        if (stillMember) {
            accounts.find(row.invitedBy())
                    .ifPresent(inviter -> mails.accepted(organization, inviter, member, row.admin(), teams));
        }
    }

    private InvitationRow locate(String token, boolean forUpdate) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw notFound();
        }
        String tokenHash = SecretToken.sha256Hex(token.trim());
        refuseIfReplaced(tokenHash);
        return locateByHash(tokenHash, forUpdate);
    }

    /**
     * An old link of an invitation that was resent is not a mistyped one: say that a newer invitation was sent. (A
     * replaced link's hash is never a live one's: both are hashes of random secrets.)
     */
    private void refuseIfReplaced(String tokenHash) {
        byte[] presented = tokenHash.getBytes(StandardCharsets.US_ASCII);
        invitations.findReplacedByTokenLookup(tokenHash.substring(0, 32)).stream()
                .filter(link -> MessageDigest.isEqual(presented, link.tokenHash().getBytes(StandardCharsets.US_ASCII)))
                .findFirst()
                .flatMap(link -> organizations.find(link.organizationId()).map(organization -> new InvitationGoneException(
                        "invitation-replaced", "A newer invitation to " + organization.name() + " was sent on "
                        + InvitationMails.date(link.replacedAt()) + ", and this link stopped working then. Use the "
                        + "link in the latest email from Roster.")))
                .ifPresent(gone -> {
                    throw gone;
                });
    }

    private InvitationRow locateByHash(String tokenHash, boolean forUpdate) {
        return findByHash(tokenHash, forUpdate).orElseThrow(InvitationAcceptance::notFound);
    }

    private Optional<InvitationRow> findByHash(String tokenHash, boolean forUpdate) {
        if (tokenHash == null || !SHA256_HEX.matcher(tokenHash).matches()) {
            return Optional.empty();
        }
        // The lookup key is the hash's first half (as SecretToken.lookup makes it); the whole is compared in constant time.
        byte[] presented = tokenHash.getBytes(StandardCharsets.US_ASCII);
        return invitations.findByTokenLookup(tokenHash.substring(0, 32), forUpdate).stream()
                .filter(row -> MessageDigest.isEqual(presented, row.tokenHash().getBytes(StandardCharsets.US_ASCII)))
                .findFirst();
    }

    private void requireOpen(InvitationRow row, Organization organization) {
        switch (row.status(clock.instant())) {
            case PENDING -> {
            }
            case EXPIRED -> throw new InvitationGoneException("invitation-expired", "This invitation to "
                    + organization.name() + " expired on " + InvitationMails.date(row.expiresAt())
                    + ". Ask an admin of " + organization.name() + " to send you a new one.");
            case REVOKED -> throw new InvitationGoneException("invitation-revoked", "This invitation to "
                    + organization.name() + " was withdrawn by an admin.");
            case ACCEPTED -> throw new InvitationGoneException("invitation-used", "This invitation to "
                    + organization.name() + " has already been used. Sign in to reach " + organization.name() + ".");
        }
    }

    private static NotFoundException notFound() {
        return new NotFoundException("invitation-not-found", "This invitation link is not valid. Check that you "
                + "copied the whole link, or ask for a new invitation.");
    }
}
