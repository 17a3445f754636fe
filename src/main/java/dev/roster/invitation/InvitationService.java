package dev.roster.invitation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.SecretToken;

/** What admins do with invitations: invite, list, resend, revoke, clear expired ones. */
@Service
@Transactional
public class InvitationService {

    static final String TOKEN_PREFIX = "inv_";

    private final InvitationRepository invitations;
    private final InvitationViews views;
    private final InvitationMails mails;
    private final InvitationProperties properties;
    private final OrganizationService organizations;
    private final TeamService teams;
    private final AccountService accounts;
    private final MemberReads members;
    private final AuditLog audit;
    private final InvitationEvents events;
    private final Clock clock;

    InvitationService(InvitationRepository invitations, InvitationViews views, InvitationMails mails,
                      InvitationProperties properties, OrganizationService organizations, TeamService teams,
                      AccountService accounts, MemberReads members, AuditLog audit, InvitationEvents events,
                      Clock clock) {
        this.events = events;
        this.invitations = invitations;
        this.views = views;
        this.mails = mails;
        this.properties = properties;
        this.organizations = organizations;
        this.teams = teams;
        this.accounts = accounts;
        this.members = members;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Invites each address, with one invitation and one email per address, and answers one result per address in
     * the order given. The teams are checked before anything is written, so an unknown team changes nothing.
     */
    public List<InviteResult> invite(UUID organizationId, List<String> emails, List<String> teamNames, boolean admin,
                                     Actor actor) {
        return inviteEach(organizationId, emails == null ? null : emails.stream().map(e -> new Invitee(e, null))
                .toList(), teamNames, admin, actor);
    }

    /**
     * Invites each invitee, to their own teams where they name some and to {@code teamNames} (the default)
     * otherwise, all as admins or none; one result per invitee, in order. An unknown default team is a 400 before
     * anything is written. An invitee whose own teams name a team the organization does not have is not invited
     * (result {@code unknown_team}, naming them) and the others are: nothing is half done for anyone.
     */
    public List<InviteResult> inviteEach(UUID organizationId, List<Invitee> invitees, List<String> teamNames,
                                         boolean admin, Actor actor) {
        if (invitees == null || invitees.isEmpty()) {
            throw InvalidRequestException.field("emails", "List at least one email address.");
        }
        if (invitees.size() > properties.maxPerRequest()) {
            throw InvalidRequestException.field("emails", "At most " + properties.maxPerRequest()
                    + " addresses can be invited in one request; this one has " + invitees.size()
                    + ". Split the list.");
        }
        List<Team> granted = teamNames == null || teamNames.isEmpty() ? List.of()
                : teams.requireByNames(organizationId, teamNames);
        Map<String, Optional<Team>> ownTeams = ownTeams(organizationId, invitees);
        Organization organization = organizations.get(organizationId);
        Invitation.Inviter inviter = actor.accountId() == null ? null : views.inviter(actor.accountId()).orElse(null);
        Instant now = clock.instant();

        Map<String, EmailAddress> valid = new LinkedHashMap<>();
        for (Invitee invitee : invitees) {
            EmailAddress.parse(invitee.email()).ifPresent(email -> valid.putIfAbsent(email.normalized(), email));
        }
        Map<String, InvitationRow> pending = invitations.findPending(organizationId, valid.keySet());

        List<InviteResult> results = new ArrayList<>(invitees.size());
        Set<String> seen = new HashSet<>();
        for (Invitee invitee : invitees) {
            String raw = invitee.email() == null ? "" : invitee.email();
            Optional<EmailAddress> parsed = EmailAddress.parse(raw);
            if (parsed.isEmpty()) {
                results.add(new InviteResult(raw, InviteResult.Outcome.INVALID_EMAIL, null));
                continue;
            }
            EmailAddress email = parsed.get();
            List<Team> theirs = granted;
            if (invitee.teams() != null) {
                List<String> unknown = invitee.teams().stream().filter(name -> ownTeams.get(key(name)).isEmpty())
                        .toList();
                if (!unknown.isEmpty()) {
                    results.add(InviteResult.unknownTeams(email.value(), unknown));
                    continue;
                }
                theirs = invitee.teams().stream().map(name -> ownTeams.get(key(name)).orElseThrow()).distinct()
                        .toList();
            }
            if (!seen.add(email.normalized())) {
                results.add(new InviteResult(email.value(), InviteResult.Outcome.DUPLICATE, null));
                continue;
            }
            if (isMember(organizationId, email.value())) {
                results.add(new InviteResult(email.value(), InviteResult.Outcome.ALREADY_MEMBER, null));
                continue;
            }
            InvitationRow open = pending.get(email.normalized());
            if (open != null) {
                if (open.status(now) == InvitationStatus.PENDING) {
                    results.add(new InviteResult(email.value(), InviteResult.Outcome.ALREADY_INVITED, open.id()));
                    continue;
                }
                markExpired(organizationId, open.id(), now);
            }
            UUID id = create(organization, email, admin, theirs, inviter, null, actor, now);
            results.add(InviteResult.invited(email.value(), id, theirs.stream().map(Team::name).toList()));
        }
        return results;
    }

    /**
     * The teams the invitees name for themselves, looked up once per name (not with requireByNames: an unknown name
     * is an answer for its invitee, not a refusal of the request).
     */
    private Map<String, Optional<Team>> ownTeams(UUID organizationId, List<Invitee> invitees) {
        Map<String, Optional<Team>> found = new java.util.HashMap<>();
        for (Invitee invitee : invitees) {
            if (invitee.teams() == null) {
                continue;
            }
            for (String name : invitee.teams()) {
                found.computeIfAbsent(key(name), k -> name == null || name.isBlank() ? Optional.empty()
                        : teams.findByName(organizationId, name.trim()));
            }
        }
        return found;
    }

    private static String key(String teamName) {
        return teamName == null ? "" : teamName.trim().toLowerCase(java.util.Locale.ROOT);
    }

    @Transactional(readOnly = true)
    public PageResult<Invitation> list(UUID organizationId, InvitationStatus status, PageQuery page) {
        Instant now = clock.instant();
        List<InvitationRow> rows = invitations.page(organizationId, status, now, page.size(), page.offset());
        return PageResult.of(views.views(organizationId, rows, now), page, invitations.count(organizationId, status, now));
    }

    @Transactional(readOnly = true)
    public Invitation get(UUID organizationId, UUID invitationId) {
        return views.view(require(invitations.find(organizationId, invitationId)), clock.instant());
    }

    /**
     * Sends a pending or expired invitation again with a new link: the old link stops working and the expiry
     * starts over.
     */
    public Invitation resend(UUID organizationId, UUID invitationId, Actor actor) {
        InvitationRow row = require(invitations.lock(organizationId, invitationId));
        Instant now = clock.instant();
        InvitationStatus before = row.status(now);
        switch (before) {
            case ACCEPTED -> throw new ConflictException("invitation-accepted",
                    "This invitation was accepted; there is nothing to resend.");
            case REVOKED -> throw new ConflictException("invitation-revoked",
                    "This invitation was revoked. Invite " + row.email() + " again instead.");
            default -> {
            }
        }
        if (row.pendingEmail() == null) {
            // Marked expired earlier: the address may have been invited anew since.
            InvitationRow newer = invitations.findPending(organizationId, List.of(row.emailNormalized()))
                    .get(row.emailNormalized());
            if (newer != null && newer.status(now) == InvitationStatus.PENDING) {
                throw new ConflictException("already-invited", "A newer invitation to " + row.email()
                        + " is pending; resend that one.");
            }
            if (newer != null) {
                markExpired(organizationId, newer.id(), now);
            }
        }
        if (isMember(organizationId, row.email())) {
            throw new ConflictException("already-member", row.email() + " is already a member of this organization.");
        }
        SecretToken.Issued token = SecretToken.issue(TOKEN_PREFIX);
        Instant expiresAt = now.plus(properties.ttl());
        invitations.reissue(organizationId, invitationId, token.lookup(), token.hash(), row.emailNormalized(), now,
                expiresAt);
        audit.record(organizationId, actor, "invitation.resent", target(row),
                Map.of("status", before.apiName(), "expiresAt", row.expiresAt().toString()),
                Map.of("status", InvitationStatus.PENDING.apiName(), "expiresAt", expiresAt.toString()));
        Organization organization = organizations.get(organizationId);
        Invitation.Inviter inviter = row.invitedBy() == null ? null : views.inviter(row.invitedBy()).orElse(null);
        mails.invitation(organization, inviter, row.directoryName(), row.email(), row.admin(),
                views.teams(organizationId, invitationId),
                token.value(), expiresAt, true);
        return get(organizationId, invitationId);
    }

    /** Withdraws a pending invitation: its link stops working. */
    public Invitation revoke(UUID organizationId, UUID invitationId, Actor actor) {
        InvitationRow row = require(invitations.lock(organizationId, invitationId));
        Instant now = clock.instant();
        InvitationStatus status = row.status(now);
        if (status != InvitationStatus.PENDING) {
            throw new ConflictException("invitation-not-pending",
                    "Only pending invitations can be revoked; this one is " + status.apiName() + ".");
        }
        invitations.close(organizationId, invitationId, InvitationStatus.REVOKED, null, now);
        audit.record(organizationId, actor, "invitation.revoked", target(row),
                Map.of("status", status.apiName()), Map.of("status", InvitationStatus.REVOKED.apiName()));
        events.revoked(organizationId, invitationId, actor);
        return get(organizationId, invitationId);
    }

    /** Deletes every expired invitation of the organization; answers how many. */
    public int clearExpired(UUID organizationId, Actor actor) {
        Instant now = clock.instant();
        List<InvitationRow> expired = invitations.lockExpired(organizationId, now);
        // Those not marked yet have had no invitation.expired: the last chance, before they are gone.
        events.expired(organizationId, expired.stream()
                .filter(row -> InvitationStatus.PENDING.name().equals(row.storedStatus())).toList(),
                InvitationExpiry.ACTOR);
        int deleted = invitations.delete(organizationId, expired.stream().map(InvitationRow::id).toList());
        for (InvitationRow row : expired) {
            audit.record(organizationId, actor, "invitation.cleared", target(row),
                    Map.of("email", row.email(), "status", InvitationStatus.EXPIRED.apiName(),
                            "expiresAt", row.expiresAt().toString()),
                    null);
        }
        return deleted;
    }

    /**
     * A directory (SCIM) added a person whose existing account the organization may not link without their consent
     * (docs/security.md#account-linking): invites them, as the directory, with an email that says so. A pending
     * invitation to the address (an admin's, say) is the one they answer: none is sent twice. Answers the
     * invitation whose acceptance makes them a member.
     */
    public UUID inviteForDirectory(UUID organizationId, EmailAddress email, String directoryName, Actor actor) {
        Instant now = clock.instant();
        InvitationRow open = invitations.findPending(organizationId, List.of(email.normalized()))
                .get(email.normalized());
        if (open != null && open.status(now) == InvitationStatus.PENDING) {
            return open.id();
        }
        if (open != null) {
            markExpired(organizationId, open.id(), now);
        }
        return create(organizations.get(organizationId), email, false, List.of(), null, directoryName, actor, now);
    }

    /**
     * The directory no longer asks (it deleted or deactivated the user before the person accepted): withdraws the
     * invitation it sent, if it is still pending. An admin's invitation stays.
     */
    public void withdrawForDirectory(UUID organizationId, UUID invitationId, Actor actor) {
        Optional<InvitationRow> row = invitations.lock(organizationId, invitationId);
        if (row.isPresent() && row.get().directoryName() != null
                && row.get().status(clock.instant()) == InvitationStatus.PENDING) {
            revoke(organizationId, invitationId, actor);
        }
    }

    /** Whether the invitation is still waiting for the person (pending and unexpired). */
    @Transactional(readOnly = true)
    public boolean isPending(UUID organizationId, UUID invitationId) {
        return invitations.find(organizationId, invitationId)
                .map(row -> row.status(clock.instant()) == InvitationStatus.PENDING).orElse(false);
    }

    private UUID create(Organization organization, EmailAddress email, boolean admin, List<Team> granted,
                        Invitation.Inviter inviter, String directoryName, Actor actor, Instant now) {
        SecretToken.Issued token = SecretToken.issue(TOKEN_PREFIX);
        InvitationRow row = new InvitationRow(Ids.newId(), organization.id(), email.value(), email.normalized(),
                email.normalized(), admin, InvitationStatus.PENDING.name(), token.hash(),
                inviter == null ? null : inviter.accountId(), null, now, now, now.plus(properties.ttl()), null,
                directoryName);
        invitations.insert(row, token.lookup());
        invitations.insertTeams(organization.id(), row.id(), granted.stream().map(Team::id).toList());
        Map<String, Object> created = new java.util.LinkedHashMap<>(Map.of("email", row.email(), "admin", admin,
                "teams", granted.stream().map(Team::name).toList(), "expiresAt", row.expiresAt().toString()));
        if (directoryName != null) {
            created.put("directory", directoryName);
        }
        audit.record(organization.id(), actor, "invitation.created", target(row), null, created);
        events.created(organization.id(), row.id(), actor);
        mails.invitation(organization, inviter, directoryName, row.email(), admin, granted, token.value(),
                row.expiresAt(), false);
        return row.id();
    }

    /** Marks an invitation that ran out as expired; the transaction that marks it publishes its expiry. */
    private void markExpired(UUID organizationId, UUID invitationId, Instant now) {
        if (invitations.markExpired(organizationId, invitationId, now)) {
            events.expired(organizationId, invitationId, InvitationExpiry.ACTOR);
        }
    }

    /** Active and suspended members count; someone who was removed may be invited back. */
    private boolean isMember(UUID organizationId, String email) {
        return accounts.findByEmail(email)
                .flatMap(account -> members.findByAccount(organizationId, account.id()))
                .filter(membership -> membership.status() != MembershipStatus.REMOVED)
                .isPresent();
    }

    private static InvitationRow require(Optional<InvitationRow> row) {
        return row.orElseThrow(() -> new NotFoundException("invitation-not-found", "Invitation not found."));
    }

    static AuditTarget target(InvitationRow row) {
        return AuditTarget.of("invitation", row.id(), row.email());
    }
}
