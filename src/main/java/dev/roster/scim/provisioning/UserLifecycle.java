package dev.roster.scim.provisioning;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.invitation.InvitationAcceptance;
import dev.roster.invitation.InvitationService;
import dev.roster.linking.AccountLinking;
import dev.roster.linking.AddressClaim;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.GrantSource;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimSettingsService;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.requestlog.RequestNotes;
import dev.roster.shared.Ids;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;

/**
 * What a provisioned user's state means for their membership. Whether the user may become the account with their
 * email address is the account-linking policy's to say ({@link AccountLinking}): an account the organization may link
 * (its own verified domain, or someone already a member) is linked and made a member, accepting a pending invitation
 * for the address on the way; an address nobody has gets a new account; an existing account outside the
 * organization's domains waits for its owner, who is invited by email and linked when they accept; an address of a
 * domain another organization verified is never provisioned. Users kept unlinked say why ({@code held_reason}), in
 * the request log too. {@code active=false} suspends (or removes, per the organization's setting);
 * {@code active=true} brings back a member SCIM suspended, but never one an admin suspended. Deleting the user
 * removes the membership (or withdraws the invitation it was waiting on).
 */
@Component
class UserLifecycle {

    private final InvitationAcceptance invitations;
    private final InvitationService invitationService;
    private final AccountLinking linking;
    private final AuditLog audit;
    private final AccountService accounts;
    private final MemberReads members;
    private final MembershipService memberships;
    private final ScimSettingsService settings;
    private final ScimUserRepository users;
    private final TeamSync teams;
    private final Clock clock;

    UserLifecycle(AccountService accounts, MemberReads members, MembershipService memberships,
                  ScimSettingsService settings, ScimUserRepository users, TeamSync teams,
                  InvitationAcceptance invitations, InvitationService invitationService, AccountLinking linking,
                  AuditLog audit, Clock clock) {
        this.clock = clock;
        this.invitations = invitations;
        this.invitationService = invitationService;
        this.linking = linking;
        this.audit = audit;
        this.accounts = accounts;
        this.members = members;
        this.memberships = memberships;
        this.settings = settings;
        this.users = users;
        this.teams = teams;
    }

    /** Brings the membership in line with the user as just stored; returns the user with its link. */
    StoredUser apply(ScimDirectory directory, StoredUser user) {
        return apply(directory, user, false);
    }

    /**
     * {@link #apply} for a user this transaction has just inserted: it holds no claim on any address yet, so there is
     * none to look up or let go of.
     */
    StoredUser applyCreated(ScimDirectory directory, StoredUser user) {
        return apply(directory, user, true);
    }

    /**
     * Stores a new user and links it as {@link #applyCreated} would, in fewer round trips for the common case (an
     * active user with an address of its own): the domain's verified owner, the user, its emails and its claim on
     * the address go in one statement, which claims the address only when no other organization verified its domain
     * (only such a claim keeps a user from claiming it); then the account is created unless one has the address, in
     * which case the policy decides as for any stored user. The rules are {@link #link}'s, in the same order of
     * precedence. A taken userName is refused (409) before anything else is written.
     */
    StoredUser create(ScimDirectory directory, StoredUser user) {
        Optional<EmailAddress> email = preferredEmail(user).flatMap(EmailAddress::parse);
        if (email.isEmpty() || !user.active()) {
            insert(user, () -> users.insert(user));
            return applyCreated(directory, user);
        }
        // Fresh ids for the account and membership this create makes if the address is free: the user is written
        // linked to them when the statement finds it so (decision 0023), and the row is not rewritten afterwards.
        ScimUserRepository.UpFrontLink upFront = users.linksUpFront()
                ? new ScimUserRepository.UpFrontLink(Ids.newId(), Ids.newId()) : null;
        ScimUserRepository.Claimed claimed = insert(user, () -> users.insertClaiming(user, email.get().normalized(),
                email.get().domain(), clock.instant(), upFront));
        // The row as stored. Every way below that does not end in exactly that account and membership writes the
        // link again first (unlinked), as the commit checks the link's foreign keys.
        StoredUser stored = claimed.linkedUpFront()
                ? user.withLink(upFront.accountId(), upFront.membershipId()) : user;
        // Who verified the address's domain, as the statement that wrote the user saw it (DomainClaims's question,
        // asked through sso's named join): another organization's domain is never claimed, and the policy holds
        // the user as it holds any stored user with such an address.
        AddressClaim claim = new AddressClaim(email.get(), directory.organizationId(),
                claimed.domainOwner().orElse(null));
        if (claim.byAnotherOrganization()) {
            return applyCreated(directory, unlinked(stored));
        }
        if (claimed.otherHolder().isPresent()) {
            return settle(directory, new Linked(hold(directory, unlinked(stored), UnlinkedUsers.EMAIL_TAKEN, null),
                    null));
        }
        // No account had the address, as far as this request knows: the policy's answer for that, and the account
        // unless another request has just made one.
        AccountLinking.ProvisionVerdict verdict = linking.provision(claim,
                new AccountLinking.ProvisionFacts(email.get(), false, false));
        Optional<Account> created = verdict instanceof AccountLinking.CreateAccount
                ? createAccount(directory, user, email.get(), stored.accountId()) : Optional.empty();
        if (created.isEmpty()) {
            // An account has the address: the policy decides as for any stored user (this one holds its claim now).
            return settle(directory, link(directory, unlinked(stored), false));
        }
        // The statement that wrote the user saw no open invitation for the address: none to accept, no look-up.
        Membership joined = join(directory, created.get(), claimed.invitationMayWait(), stored.membershipId());
        StoredUser linked = user.withLink(created.get().id(), joined.id());
        if (!linked.accountId().equals(stored.accountId()) || !linked.membershipId().equals(stored.membershipId())) {
            users.updateLink(linked);
        }
        return settle(directory, new Linked(linked, joined));
    }

    /**
     * The stored user without the link it was written with up front, written so, for a create that ends in another
     * link or none: the commit would refuse a link to an account or membership that was not made.
     */
    private StoredUser unlinked(StoredUser stored) {
        if (stored.accountId() == null && stored.membershipId() == null) {
            return stored;
        }
        StoredUser unlinked = stored.withLink(null, null);
        users.updateLink(unlinked);
        return unlinked;
    }

    private static void insert(StoredUser user, Runnable insert) {
        insert(user, () -> {
            insert.run();
            return null;
        });
    }

    /** Runs the statement that inserts the user; its duplicate key is a userName the directory has already. */
    private static <T> T insert(StoredUser user, java.util.function.Supplier<T> insert) {
        try {
            return insert.get();
        }
        catch (DuplicateKeyException ex) {
            throw ScimError.conflict("A user with the userName '" + user.userName() + "' exists in this directory.");
        }
    }

    private StoredUser apply(ScimDirectory directory, StoredUser user, boolean created) {
        return settle(directory, link(directory, user, created));
    }

    /** The membership in line with the user's state, once the user is linked (or kept unlinked). */
    private StoredUser settle(ScimDirectory directory, Linked link) {
        StoredUser linked = link.user();
        if (linked.membershipId() == null) {
            return linked;
        }
        UUID org = directory.organizationId();
        Membership membership = link.joined() != null ? link.joined()
                : members.find(org, linked.membershipId()).orElseThrow();
        if (linked.active()) {
            switch (membership.status()) {
                case REMOVED -> membership = join(directory, accounts.get(membership.accountId()), false);
                case SUSPENDED -> {
                    if (membership.statusChangedBy() == Channel.SCIM) {
                        memberships.reactivate(org, membership.id(), directory.actor());
                    }
                }
                default -> {
                }
            }
            if (link.joined() == null) {
                // A membership this call has just made was linked to no user before, so it is in no group and
                // has no SCIM teams to work out.
                teams.resyncIfMapped(org, List.of(membership.id()), directory.actor());
            }
        }
        else if (membership.status() == MembershipStatus.ACTIVE) {
            if (settings.onDeactivate(org) == ScimSettingsService.OnDeactivate.REMOVE) {
                memberships.remove(org, membership.id(), directory.actor());
            }
            else {
                memberships.suspend(org, membership.id(), directory.actor());
            }
        }
        return linked;
    }

    /**
     * Ends the membership of a deleted user, unless another directory of the organization still manages it; a user
     * that was waiting for its owner withdraws the invitation it sent.
     */
    void delete(ScimDirectory directory, StoredUser user) {
        if (user.membershipId() == null) {
            if (user.invitationId() != null) {
                invitationService.withdrawForDirectory(directory.organizationId(), user.invitationId(),
                        directory.actor());
            }
            return;
        }
        UUID org = directory.organizationId();
        if (users.otherDirectoryLinks(org, user.membershipId(), user.id()) > 0) {
            return;
        }
        Optional<Membership> membership = members.find(org, user.membershipId());
        if (membership.isPresent() && membership.get().status() != MembershipStatus.REMOVED) {
            memberships.remove(org, user.membershipId(), directory.actor());
        }
    }

    /**
     * A user let go of its claim on an address (it was deleted, or the directory sent it another one): the oldest user
     * kept because that user had the address is linked now, under the same rules as at its creation.
     */
    void promoteNext(ScimDirectory directory, String releasedEmail) {
        users.keptForEmail(directory.organizationId(), directory.id(), releasedEmail, UnlinkedUsers.EMAIL_TAKEN)
                .stream()
                .filter(kept -> preferredEmail(kept).map(EmailAddress::normalize).filter(releasedEmail::equals)
                        .isPresent())
                .findFirst()
                .ifPresent(next -> apply(directory, next));
    }

    /** Lets go of the user's claim on an address, and lets the next user with it stand for it. */
    private void release(ScimDirectory directory, StoredUser user, boolean created) {
        if (created) {
            return;
        }
        users.releaseEmailClaim(user.id()).ifPresent(released -> promoteNext(directory, released));
    }

    /** After a user left this directory's groups: their remaining groups decide their SCIM teams. */
    void resyncAfterDelete(ScimDirectory directory, StoredUser user) {
        if (user.membershipId() != null) {
            teams.resyncIfMapped(directory.organizationId(), List.of(user.membershipId()), directory.actor());
        }
    }

    /** A user with its link, and the membership when linking has just made it (null otherwise). */
    private record Linked(StoredUser user, Membership joined) {
    }

    private Linked link(ScimDirectory directory, StoredUser user, boolean created) {
        if (user.membershipId() != null) {
            // A linked user keeps its claim on the address it was linked by, whatever address the directory sends
            // later: the account still has that address, and a second user with it would be a second user of the
            // same member.
            return new Linked(user, null);
        }
        Optional<EmailAddress> email = preferredEmail(user).flatMap(EmailAddress::parse);
        if (email.isEmpty()) {
            release(directory, user, created);
            return new Linked(hold(directory, user, UnlinkedUsers.NO_EMAIL, null), null);
        }
        UUID org = directory.organizationId();
        Optional<Account> account = accounts.findByEmail(email.get().normalized());
        Optional<Membership> membership = account.flatMap(a -> members.findByAccount(org, a.id()));
        AccountLinking.ProvisionVerdict verdict = linking.provision(org, new AccountLinking.ProvisionFacts(email.get(),
                account.isPresent(), membership.filter(m -> m.status() != MembershipStatus.REMOVED).isPresent()));
        if (verdict instanceof AccountLinking.Hold held) {
            release(directory, user, created);
            return new Linked(hold(directory, user, held.reason(), null), null);
        }
        // The user would stand for the address here (linked, or waiting for its owner): one user per address and
        // directory, and the database decides which, so concurrent creates cannot both win. The others are kept.
        Optional<String> previous = created ? Optional.empty()
                : users.claimedEmail(user.id()).filter(e -> !e.equals(email.get().normalized()));
        Optional<UUID> holder = users.claimEmail(user, email.get().normalized(), clock.instant(), created);
        previous.ifPresent(released -> promoteNext(directory, released));
        if (holder.isPresent()) {
            withdraw(directory, user);
            return new Linked(hold(directory, user, UnlinkedUsers.EMAIL_TAKEN, null), null);
        }
        if (verdict instanceof AccountLinking.AskOwner) {
            return new Linked(askOwner(directory, user, email.get()), null);
        }
        if (verdict instanceof AccountLinking.LinkExisting) {
            return linkExisting(directory, user, email.get(), account.get(), membership);
        }
        return create(directory, user, email.get());
    }

    private Linked linkExisting(ScimDirectory directory, StoredUser user, EmailAddress email, Account account,
                                Optional<Membership> membership) {
        UUID org = directory.organizationId();
        if (membership.isPresent()) {
            // Another user may be linked to the member under an address the account no longer has (its owner
            // changed it): that one stands for the member, and this one is kept like any second user of an address.
            if (users.linkedToMembership(org, directory.id(), membership.get().id(), user.id()).isPresent()) {
                return new Linked(hold(directory, user, UnlinkedUsers.EMAIL_TAKEN, null), null);
            }
            StoredUser linked = user.withLink(account.id(), membership.get().id());
            users.updateLink(linked);
            return new Linked(linked, null);
        }
        if (!user.active()) {
            // Nobody to suspend: the membership is created when the directory activates the user.
            return new Linked(unheld(user), null);
        }
        Membership joined = join(directory, account, false);
        StoredUser linked = user.withLink(account.id(), joined.id());
        users.updateLink(linked);
        return new Linked(linked, joined);
    }

    private Linked create(ScimDirectory directory, StoredUser user, EmailAddress email) {
        if (!user.active()) {
            return new Linked(unheld(user), null);
        }
        Optional<Account> created = createAccount(directory, user, email);
        if (created.isEmpty()) {
            // Another request made the account a moment ago (another directory's, say): it exists now, so the policy
            // decides again, as for any existing account.
            // This user holds its claim by now: look at it as at any stored user's.
            return link(directory, user, false);
        }
        Membership joined = join(directory, created.get(), true);
        StoredUser linked = user.withLink(created.get().id(), joined.id());
        users.updateLink(linked);
        return new Linked(linked, joined);
    }

    /**
     * The owner of the existing account decides: an invitation (one email, "the directory added you") that links
     * the user when they accept. An inactive user asks nobody; a user already waiting on a pending invitation for
     * the same address asks again only when that invitation is gone.
     */
    private StoredUser askOwner(ScimDirectory directory, StoredUser user, EmailAddress email) {
        UUID org = directory.organizationId();
        if (!user.active()) {
            withdraw(directory, user);
            return unheld(user);
        }
        if (AccountLinking.AWAITING_OWNER.equals(user.heldReason()) && user.invitationId() != null
                && invitationService.isPending(org, user.invitationId())) {
            return user;
        }
        withdraw(directory, user);
        UUID invitation = invitationService.inviteForDirectory(org, email, directory.name(), directory.actor());
        return hold(directory, user, AccountLinking.AWAITING_OWNER, invitation);
    }

    private void withdraw(ScimDirectory directory, StoredUser user) {
        if (user.invitationId() != null) {
            invitationService.withdrawForDirectory(directory.organizationId(), user.invitationId(), directory.actor());
        }
    }

    /**
     * Keeps the user unlinked for a reason: stored (for the directory's page), noted in the request log, and audited
     * when the reason is new.
     */
    private StoredUser hold(ScimDirectory directory, StoredUser user, String reason, UUID invitation) {
        String note = UnlinkedUsers.explain(reason, preferredEmail(user).orElse(null));
        RequestNotes.add(note);
        if (reason.equals(user.heldReason()) && java.util.Objects.equals(invitation, user.invitationId())) {
            return user;
        }
        StoredUser held = user.held(reason, invitation);
        users.updateLink(held);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        preferredEmail(user).ifPresent(email -> details.put("email", email));
        details.put("detail", note);
        audit.record(directory.organizationId(), directory.actor(), "scim.user-held",
                AuditTarget.of("scim-user", user.id(), user.userName()), null, details);
        return held;
    }

    private StoredUser unheld(StoredUser user) {
        if (user.heldReason() == null && user.invitationId() == null) {
            return user;
        }
        StoredUser cleared = user.held(null, null);
        users.updateLink(cleared);
        return cleared;
    }

    /** An account for the address, or empty when another request created it first. */
    private Optional<Account> createAccount(ScimDirectory directory, StoredUser user, EmailAddress email) {
        return createAccount(directory, user, email, null);
    }

    /** {@link #createAccount(ScimDirectory, StoredUser, EmailAddress)} with the id chosen up front (or null). */
    private Optional<Account> createAccount(ScimDirectory directory, StoredUser user, EmailAddress email, UUID id) {
        // Asked, not caught: a taken address is an answer, so this request's transaction stays usable.
        String name = displayName(user, email.value());
        return id == null ? accounts.createUnlessTaken(email, name, null, directory.actor())
                : accounts.createUnlessTaken(id, email, name, null, directory.actor());
    }

    /**
     * Makes the account a member through SCIM, accepting a pending invitation for its address first: the invitation's
     * teams (as an admin's manual grants) and admin flag apply, as they would had the person accepted it.
     */
    private Membership join(ScimDirectory directory, Account account, boolean accountCreatedNow) {
        return join(directory, account, accountCreatedNow, true);
    }

    /**
     * {@code invitationMayWait} false: this transaction's statement that wrote the user saw no open invitation for the
     * address ({@code InvitationJoins.openFor}), so there is none to accept and the look-up is skipped. One created
     * and committed since that statement is left pending, as one committed after the look-up always was.
     */
    private Membership join(ScimDirectory directory, Account account, boolean accountCreatedNow,
                            boolean invitationMayWait) {
        return join(directory, account, accountCreatedNow, invitationMayWait, null);
    }

    /** A just-created account's membership, with the id chosen up front (or null: a fresh one). */
    private Membership join(ScimDirectory directory, Account createdNow, boolean invitationMayWait, UUID membershipId) {
        return join(directory, createdNow, true, invitationMayWait, membershipId);
    }

    private Membership join(ScimDirectory directory, Account account, boolean accountCreatedNow,
                            boolean invitationMayWait, UUID membershipId) {
        UUID org = directory.organizationId();
        Optional<InvitationAcceptance.InvitationGrant> invitation = invitationMayWait
                ? invitations.acceptForDirectory(org, account, directory.actor()) : Optional.empty();
        boolean admin = invitation.map(InvitationAcceptance.InvitationGrant::admin).orElse(false);
        Set<UUID> invitedTeams = invitation.map(InvitationAcceptance.InvitationGrant::teamIds).orElse(Set.of());
        MembershipService.Join join = new MembershipService.Join(admin, MembershipSource.SCIM, invitedTeams,
                GrantSource.MANUAL);
        if (!accountCreatedNow) {
            return memberships.join(org, account, join, directory.actor());
        }
        return membershipId == null ? memberships.joinCreatedAccount(org, account, join, directory.actor())
                : memberships.joinCreatedAccount(org, account, join, directory.actor(), membershipId);
    }

    /** The address a user is linked by: the primary email, else the work email, else the userName if it is one. */
    static Optional<String> preferredEmail(StoredUser user) {
        ObjectNode resource = user.resource();
        JsonNode emails = resource.get("emails");
        String primary = null;
        String work = null;
        String first = null;
        if (emails != null && emails.isArray()) {
            for (JsonNode email : emails) {
                JsonNode value = email.get("value");
                if (value == null || !value.isTextual() || !EmailAddress.isValid(value.textValue().trim())) {
                    continue;
                }
                String address = value.textValue().trim();
                JsonNode isPrimary = email.get("primary");
                JsonNode type = email.get("type");
                if (primary == null && isPrimary != null && isPrimary.asBoolean(false)) {
                    primary = address;
                }
                if (work == null && type != null && "work".equalsIgnoreCase(type.asText())) {
                    work = address;
                }
                if (first == null) {
                    first = address;
                }
            }
        }
        if (primary != null) {
            return Optional.of(primary);
        }
        if (work != null) {
            return Optional.of(work);
        }
        if (EmailAddress.isValid(user.userName().trim())) {
            return Optional.of(user.userName().trim());
        }
        return Optional.ofNullable(first);
    }

    private static String displayName(StoredUser user, String email) {
        ObjectNode resource = user.resource();
        String name = text(resource.get("displayName"));
        JsonNode structured = resource.get("name");
        if (name == null && structured != null && structured.isObject()) {
            name = text(structured.get("formatted"));
            if (name == null) {
                String given = text(structured.get("givenName"));
                String family = text(structured.get("familyName"));
                String joined = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
                name = joined.isEmpty() ? null : joined;
            }
        }
        if (name == null) {
            name = email;
        }
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue().trim() : null;
    }
}
