package dev.roster.sso.saml;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.linking.AccountLinking;
import dev.roster.linking.LinkBasis;
import dev.roster.membership.GrantSource;
import dev.roster.membership.LockedMembership;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamRole;
import dev.roster.security.SignInStages;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.RosterUser;
import dev.roster.sso.DirectoryGroupMappings;
import dev.roster.sso.DirectoryManagedOrganizations;
import dev.roster.sso.SsoInvitationHandler;
import dev.roster.sso.access.AccessGrant;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.access.SsoAccessRepository;
import dev.roster.sso.access.SsoLinkRequests;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.web.SsoLinkController;

/**
 * What an accepted SAML assertion does: finds or creates the account, decides whether the person may join (access
 * grants, or the invitation they are accepting), and applies the connection's group mappings. One transaction: a
 * refusal changes nothing. Refusals are returned, not thrown, so the caller can audit them outside the rolled-back
 * transaction.
 * <p>
 * Whether the IdP may sign in to the account at all is the account-linking policy's to say ({@link AccountLinking}),
 * at every sign-in, not only the first: a link stands only while what made it legitimate does (the organization's
 * verified domain, or the access grant of an address outside it). Where the policy wants the owner of an existing
 * account to confirm the link, the sign-in answers {@link ConfirmLink} and waits for them ({@link SsoLinkController}).
 */
@Service
@Transactional
public class SsoSignIn {

    private static final Logger log = LoggerFactory.getLogger(SsoSignIn.class);

    public sealed interface Outcome permits Allowed, Denied, ConfirmLink {
    }

    /** What {@link #decide} answers: a refusal, the owner's confirmation first, or the plan of what the sign-in does. */
    sealed interface Decision permits Plan, Denied, ConfirmLink {
    }

    /**
     * Signed in. {@code authorities} are what the session gets (two-factor enrolment first when an organization of
     * theirs requires it), worked out in the sign-in's transaction, so it sees the membership it has just made.
     */
    public record Allowed(UUID accountId, String email, List<GrantedAuthority> authorities) implements Outcome {
    }

    public record Denied(String code, String message, String detail) implements Outcome, Decision {
    }

    /** The sign-in would link an existing account whose owner has not agreed to it: nothing done, ask them. */
    record ConfirmLink(UUID accountId, String email) implements Outcome, Decision {
    }

    /**
     * A sign-in that may go ahead, before anything is written. {@code account} is null when one is to be created;
     * {@code teams} (each with the highest team role its mappings give) and {@code mappedAdmin} are what the mapped
     * groups grant, applied when {@code applyMappings}; {@code adminGranted}: SSO's admin grant is among the
     * member's (membership.MembershipService keeps them by source). {@code locked}: the membership as this transaction
     * locked it when {@code decide} read it (null for a test login, which changes nothing, for an account still to be
     * created, and for another organization's invitation).
     */
    record Plan(Account account, Optional<Membership> membership, LockedMembership locked, boolean joining,
                Optional<SsoInvitationHandler.PendingInvitation> invitation, Optional<String> grant,
                List<GroupMapping> mapped, Map<UUID, TeamRole> teams, boolean mappedAdmin, boolean adminGranted,
                boolean applyMappings, boolean directoryManaged, LinkBasis basis, boolean newLink,
                boolean foreignInvitation) implements Decision {
    }

    /** What a test login reports: whether Roster would sign the person in, and what it would change. */
    record Evaluation(boolean allowed, String headline, List<String> effects) {
    }

    private final SsoAccessRepository access;
    private final AccountLinking linking;
    private final SsoLinkRequests links;
    private final AccountService accounts;
    private final MembershipService memberships;
    private final MemberReads members;
    private final ObjectProvider<DirectoryManagedOrganizations> directories;
    private final ObjectProvider<SsoInvitationHandler> invitations;
    private final ObjectProvider<DirectoryGroupMappings> directoryMappings;
    private final AuditLog audit;
    private final SignInStages stages;
    private final Clock clock;

    public SsoSignIn(SsoAccessRepository access, AccountLinking linking, SsoLinkRequests links, AccountService accounts,
              MembershipService memberships, MemberReads members,
              ObjectProvider<DirectoryManagedOrganizations> directories,
              ObjectProvider<SsoInvitationHandler> invitations, ObjectProvider<DirectoryGroupMappings> directoryMappings,
              AuditLog audit, SignInStages stages, Clock clock) {
        this.directoryMappings = directoryMappings;
        this.stages = stages;
        this.access = access;
        this.linking = linking;
        this.links = links;
        this.accounts = accounts;
        this.memberships = memberships;
        this.members = members;
        this.directories = directories;
        this.invitations = invitations;
        this.audit = audit;
        this.clock = clock;
    }

    public Outcome signIn(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups,
                   String invitationToken) {
        return signIn(connection, identity, groups, invitationToken, null);
    }

    /**
     * A sign-in that waited for the owner of the existing account ({@code confirmedBy}, signed in to it) to confirm
     * the link. The request is spent first, so it completes once; everything else is checked again.
     */
    public Outcome confirmLink(SsoConnection connection, SsoLinkRequests.LinkRequest request, UUID confirmedBy) {
        if (!links.spend(request.id())) {
            return new Denied("link-expired", "This request to link your account was already used.",
                    "link request " + request.id() + " spent before");
        }
        return signIn(connection, request.identity(), request.groups(), null, confirmedBy);
    }

    private Outcome signIn(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups,
                           String invitationToken, UUID confirmedBy) {
        Decision decision = decide(connection, identity, groups, invitationToken, confirmedBy, true);
        if (decision instanceof Denied denied) {
            return denied;
        }
        if (decision instanceof ConfirmLink confirm) {
            return confirm;
        }
        return apply(connection, identity, groups, invitationToken, (Plan) decision);
    }

    /**
     * What a sign-in would do, and nothing else: for an admin's test login through the connection. Reads only; the
     * answer describes, in words, the refusal or each change the sign-in would make.
     */
    @Transactional(readOnly = true)
    Evaluation evaluate(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups) {
        Decision decision = decide(connection, identity, groups, null, null, false);
        if (decision instanceof Denied denied) {
            return new Evaluation(false, "Roster would refuse this sign-in.",
                    List.of(denied.message(), "Reason: " + denied.code() + " (" + denied.detail() + ")."));
        }
        if (decision instanceof ConfirmLink) {
            return new Evaluation(false, "Roster would ask the person to confirm the link first.",
                    List.of(identity.email().value() + " has a Roster account, and this organization has not "
                            + "verified its domain. Roster links the identity provider's identity to it only after "
                            + "the person signs in to that account and confirms; until then nothing changes."));
        }
        Plan plan = (Plan) decision;
        UUID org = connection.organizationId();
        String email = identity.email().value();
        List<String> effects = new ArrayList<>();
        if (plan.account() == null) {
            effects.add("Roster has no account for " + email + ": it would create one named " + identity.displayName()
                    + ", without a password.");
        }
        else {
            effects.add(email + " is Roster's account " + plan.account().email() + ".");
        }
        if (plan.joining()) {
            effects.add("They would join the organization as a member, let in by the "
                    + plan.grant().map(g -> "grant " + g.toLowerCase(Locale.ROOT)).orElse("grant") + ".");
        }
        else {
            effects.add("They are a member already.");
        }
        if (plan.directoryManaged()) {
            effects.add("A SCIM directory manages this organization's members: single sign-on would change nothing "
                    + "else.");
        }
        else if (!plan.applyMappings()) {
            effects.add("Their groups are unknown, so their teams would stay as they are.");
        }
        else {
            Set<UUID> current = new HashSet<>();
            Map<UUID, String> names = new HashMap<>();
            plan.mapped().forEach(m -> {
                if (m.teamId() != null) {
                    names.put(m.teamId(), m.teamName());
                }
            });
            plan.membership().filter(m -> !plan.joining()).ifPresent(m -> members.teams(org, m.id()).forEach(g -> {
                names.putIfAbsent(g.teamId(), g.teamName());
                if (g.sources().contains(GrantSource.SSO)) {
                    current.add(g.teamId());
                }
            }));
            Set<UUID> planned = plan.teams().keySet();
            List<String> join = planned.stream().filter(t -> !current.contains(t)).map(names::get).sorted()
                    .toList();
            List<String> leave = current.stream().filter(t -> !planned.contains(t)).map(names::get).sorted()
                    .toList();
            List<String> stay = current.stream().filter(planned::contains).map(names::get).sorted().toList();
            List<String> maintain = planned.stream().filter(t -> plan.teams().get(t) == TeamRole.MAINTAINER)
                    .map(names::get).sorted().toList();
            if (join.isEmpty() && leave.isEmpty() && stay.isEmpty()) {
                effects.add("No mapped group of theirs puts them in a team.");
            }
            if (!join.isEmpty()) {
                effects.add("They would join " + String.join(", ", join) + ".");
            }
            if (!stay.isEmpty()) {
                effects.add("They would stay in " + String.join(", ", stay) + ".");
            }
            if (!maintain.isEmpty()) {
                effects.add("Their groups make them a maintainer of " + String.join(", ", maintain) + ".");
            }
            if (!leave.isEmpty()) {
                effects.add("They would leave " + String.join(", ", leave) + " (no mapped group of theirs grants it "
                        + "any more).");
            }
            boolean isAdmin = plan.membership().filter(m -> !plan.joining()).map(Membership::admin).orElse(false);
            if (plan.mappedAdmin() && !isAdmin) {
                effects.add("They would become an admin of the organization.");
            }
            else if (!plan.mappedAdmin() && isAdmin && plan.adminGranted() && members.adminOnlyFrom(org,
                    GrantSource.SSO, List.of(plan.membership().get().id())).contains(plan.membership().get().id())) {
                effects.add("They would stop being an admin (single sign-on had made them one).");
            }
            else if (isAdmin) {
                effects.add("They stay an admin.");
            }
        }
        return new Evaluation(true, "Roster would sign in " + email + ".", effects);
    }

    /**
     * The checks of a sign-in, in order; reads only. {@code confirmedBy}: the owner who confirmed a link, if any.
     * {@code forChange}: the sign-in itself, in a write transaction, which then changes what is decided here, so the
     * membership is read once, locked, and the rules are checked on the row that {@link #apply} changes (not for a
     * test login, whose transaction is read-only).
     */
    private Decision decide(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups,
                            String invitationToken, UUID confirmedBy, boolean forChange) {
        UUID org = connection.organizationId();
        Optional<SsoAccessRepository.Identity> linked = access.identity(org, connection.id(), identity.subject());
        Account account = linked.flatMap(l -> accounts.find(l.accountId())).orElse(null);
        boolean wasLinked = account != null;
        if (account == null) {
            account = accounts.findByEmail(identity.email().normalized()).orElse(null);
        }
        // A linked identity signs in to its account, whatever address the IdP sends now: that account's address is
        // the one the IdP must be allowed to speak for.
        EmailAddress address = wasLinked ? new EmailAddress(account.email()) : identity.email();
        String email = address.normalized();

        Optional<SsoInvitationHandler.PendingInvitation> invitation = Optional.empty();
        if (invitationToken != null) {
            SsoInvitationHandler handler = invitations.getIfAvailable();
            // Locked when this sign-in goes on to accept it: the invitation before the membership, the order in
            // which every acceptance locks them.
            invitation = handler == null ? Optional.empty()
                    : forChange ? handler.lockPending(invitationToken) : handler.pending(invitationToken);
            if (invitation.isEmpty()) {
                return new Denied("invitation-invalid", "The invitation is no longer valid. Ask an admin for a new one.",
                        "invitation not pending");
            }
            String invited = invitation.get().email().normalized();
            if (!invited.equals(identity.email().normalized()) || !invited.equals(email)) {
                return new Denied("invitation-email-mismatch", "You signed in as " + identity.email().value()
                        + ", but the invitation is for " + invitation.get().email().value()
                        + ". Sign in to your identity provider as the invited person.",
                        "asserted " + identity.email().normalized() + " (account " + email + "), invited " + invited);
            }
        }
        // Another organization's invitation reaches this IdP when this organization verified (and enforces single
        // sign-on for) the invitee's domain: the IdP vouches for the address, the invitation is the person's own.
        boolean foreignInvitation = invitation.isPresent() && !invitation.get().organizationId().equals(org);
        boolean addressGranted = access.grantExists(org, connection.id(), AccessGrant.Kind.EMAIL, email);
        AccountLinking.SignInVerdict verdict = linking.signIn(org, new AccountLinking.SignInFacts(address,
                account != null, wasLinked, linked.map(SsoAccessRepository.Identity::basis).orElse(null),
                addressGranted, invitation.isPresent() && !foreignInvitation,
                account != null && account.id().equals(confirmedBy)));
        if (verdict instanceof AccountLinking.Refuse refused) {
            return new Denied(refused.reason(), refused.message(), refused.detail());
        }
        boolean confirmFirst = verdict instanceof AccountLinking.ConfirmFirst;
        LinkBasis basis = verdict instanceof AccountLinking.Link link ? link.basis() : null;
        boolean domainVerified = basis == LinkBasis.VERIFIED_DOMAIN;
        if (foreignInvitation) {
            if (!domainVerified) {
                return new Denied("invitation-invalid", "This invitation is for another organization, and this "
                        + "identity provider does not sign in " + address.value() + ".",
                        "invitation of organization " + invitation.get().organizationId()
                                + " for an address outside this organization's verified domains");
            }
            // Signs them in to accept the other organization's invitation; nothing changes in this organization.
            return new Plan(account, Optional.empty(), null, false, invitation, Optional.empty(), List.of(), Map.of(),
                    false, false, false, false, basis,
                    !wasLinked && account != null, true);
        }

        boolean directoryManaged = connection.scimPolicy() == ScimPolicy.LOGIN_ONLY
                && directories.orderedStream().anyMatch(d -> d.managesMembers(org));
        // The one read of the membership, locked when this sign-in goes on to change it, so the rules below are
        // checked on the row apply changes (an invitation's acceptance too: its invitation is locked already, above).
        // When its groups apply, it may withdraw SSO's admin grant: an admin SSO made one is then locked with the
        // organization's other admins, in the order every demotion locks them. A test login (read-only) reads
        // without a lock.
        LockedMembership locked = account == null || !forChange ? null
                : !directoryManaged && groups.isPresent()
                        ? memberships.lockByAccount(org, account.id(), GrantSource.SSO)
                : memberships.lockByAccount(org, account.id());
        Optional<Membership> membership = account == null ? Optional.empty()
                : locked != null ? locked.membership() : members.findByAccount(org, account.id());
        if (membership.isPresent() && membership.get().status() == MembershipStatus.SUSPENDED) {
            return new Denied("suspended", "Your membership of this organization is suspended. Ask an admin.",
                    "membership suspended");
        }
        if (membership.isPresent() && membership.get().status() == MembershipStatus.REMOVED
                && invitation.isEmpty()) {
            return new Denied("removed", "You were removed from this organization. Ask an admin to invite you again.",
                    "membership removed");
        }
        boolean joining = membership.isEmpty() || membership.get().status() == MembershipStatus.REMOVED;
        Optional<String> grant = Optional.empty();
        if (joining && invitation.isEmpty()) {
            if (directoryManaged) {
                return new Denied("not-provisioned", "Your organization adds people through its directory (SCIM), "
                        + "and you have not been added yet. Ask an admin.", "directory-managed, no membership");
            }
            List<AccessGrant> grants = access.grants(org, connection.id());
            grant = matchingGrant(grants, address, groups, domainVerified, addressGranted);
            if (grant.isEmpty() && groups.isEmpty()
                    && grants.stream().anyMatch(g -> g.kind() == AccessGrant.Kind.GROUP)) {
                if (connection.kind() == ConnectionKind.ENTRA && !connection.graphConfigured()) {
                    // Entra sent the overage claim (more groups than a token carries) and the connection has no Graph
                    // to resolve it: every sign-in of theirs ends here until an admin sets Graph up, so "try again"
                    // would be wrong.
                    return new Denied("groups-need-graph", "Your organization lets people in by their groups, and you "
                            + "are in more groups than a sign-in can carry: Roster can read them only through "
                            + "Microsoft Graph, which your organization's connection is not set up to use. Ask an "
                            + "admin.", "no access grant matched " + email
                            + ", whose groups Entra left out of the token (overage) and the connection has no "
                            + "Microsoft Graph access to read");
                }
                // A group might have let them in: the person is told their groups could not be read (the IdP's API
                // failed, or their organization had too many lookups running), not that nobody granted them access.
                return new Denied("groups-unknown", "Your organization lets people in by their groups, and Roster "
                        + "could not read yours from your identity provider just now. Try again in a few minutes; if "
                        + "it keeps happening, ask an admin.", "no access grant matched " + email + ", and their "
                        + "groups are unknown (the IdP's API was not read), so no group grant could");
            }
            if (grant.isEmpty()) {
                return new Denied("no-grant", "Your organization has not granted you access to Roster. Ask an admin.",
                        "no access grant matched " + email + " with groups " + groups.map(TreeSet::new).orElse(null));
            }
        }
        List<GroupMapping> mapped = groups.map(g -> access.mappingsFor(org, connection.id(), g)).orElse(List.of());
        // Several groups may map to one team: the highest role of their mappings wins.
        Map<UUID, TeamRole> teams = new HashMap<>();
        boolean mappedAdmin = false;
        for (GroupMapping mapping : mapped) {
            if (mapping.teamId() != null) {
                teams.merge(mapping.teamId(), mapping.role(), TeamRole::higher);
            }
            mappedAdmin |= mapping.admin();
        }
        // The same IdP group mapped for SCIM counts too, so admins map a group once.
        DirectoryGroupMappings directory = directoryMappings.getIfAvailable();
        if (directory != null && groups.isPresent() && !groups.get().isEmpty()) {
            DirectoryGroupMappings.Grants shared = directory.forGroupClaims(org, groups.get());
            shared.teams().forEach((team, role) -> teams.merge(team, role, TeamRole::higher));
            mappedAdmin |= shared.admin();
        }
        if (confirmFirst) {
            // Everything else would let them in: only the owner's word is missing.
            return new ConfirmLink(account.id(), account.email());
        }
        // Read only for an admin: a member who is none holds no admin grant.
        boolean adminGranted = membership.filter(Membership::admin)
                .map(m -> members.adminGrantedBy(org, GrantSource.SSO, List.of(m.id())).contains(m.id())).orElse(false);
        return new Plan(account, membership, locked, joining, invitation, grant, mapped, teams, mappedAdmin,
                adminGranted, !directoryManaged && groups.isPresent(), directoryManaged, basis,
                !wasLinked && account != null, false);
    }

    private Outcome apply(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups,
                          String invitationToken, Plan plan) {
        UUID org = connection.organizationId();
        Actor actor = actor(connection);
        Instant now = clock.instant();
        String email = identity.email().normalized();
        if (plan.joining() && plan.invitation().isEmpty()) {
            log.info("SSO connection {}: {} provisioned through grant {}", connection.id(), email,
                    plan.grant().orElse("?"));
        }
        Account account = plan.account() != null ? plan.account()
                : accounts.create(identity.email(), identity.displayName(), null, actor);
        boolean adminGranted = plan.adminGranted();
        boolean applyMappings = plan.applyMappings();
        boolean mappedAdmin = plan.mappedAdmin();

        if (plan.foreignInvitation()) {
            invitations.getObject().accept(invitationToken, account.id(), actor);
            record(connection, identity, groups, plan, account, now, actor);
            return allowed(account);
        }
        // The member's row, locked, from here to the commit: every change below is made on it without reading it
        // again (an account created just now has none to read).
        LockedMembership locked = plan.account() == null ? memberships.lockCreatedAccount(org, account)
                : Objects.requireNonNull(plan.locked(), "decide locks the membership the sign-in changes");
        if (plan.joining() && plan.invitation().isPresent()) {
            // The acceptance joins them on this row, after the invitation decide locked.
            invitations.getObject().accept(invitationToken, locked, actor);
            locked.membership().orElseThrow();
        }
        else if (plan.joining()) {
            memberships.join(locked, account, new MembershipService.Join(applyMappings && mappedAdmin,
                    MembershipSource.SSO, Set.of(), GrantSource.SSO), actor);
            adminGranted = applyMappings && mappedAdmin;
        }
        if (applyMappings) {
            memberships.syncTeams(locked, GrantSource.SSO, plan.teams(), actor);
            // Only SSO's own admin grant is added or withdrawn: an admin made one by hand stays one.
            if (mappedAdmin && !adminGranted) {
                memberships.grantAdmin(locked, GrantSource.SSO, actor);
            }
            else if (!mappedAdmin && adminGranted) {
                // Asked, not caught: an exception from the membership service would doom this sign-in's transaction.
                // The organization's admins were locked with the member's row in decide (adminGranted: an admin SSO
                // made one).
                MembershipService.AdminRevocation revoked = memberships.revokeAdminUnlessLast(locked,
                        GrantSource.SSO, actor, "The identity provider (" + connection.name() + ")");
                if (revoked == MembershipService.AdminRevocation.KEPT_LAST_ADMIN) {
                    log.warn("SSO connection {}: {} left the admin group but is the organization's last admin; "
                            + "they stay admin", connection.id(), email);
                }
            }
        }
        record(connection, identity, groups, plan, account, now, actor);
        return allowed(account);
    }

    private Allowed allowed(Account account) {
        RosterUser user = new RosterUser(account.id(), account.email());
        return new Allowed(account.id(), account.email(), stages.afterSecondFactor(user));
    }

    /** Saves the link with its basis, and audits the sign-in (and a new link to an account that existed). */
    private void record(SsoConnection connection, AssertedIdentity identity, Optional<Set<String>> groups, Plan plan,
                        Account account, Instant now, Actor actor) {
        UUID org = connection.organizationId();
        access.saveIdentity(org, connection.id(), identity.subject(), account.id(),
                groups.map(g -> String.join("\n", new TreeSet<>(g))).map(SsoSignIn::cap).orElse(null), plan.basis(),
                now);
        if (plan.newLink()) {
            // An account that existed before this sign-in is now reachable through the IdP: the organization's log
            // and the person's own say so, and why it was allowed.
            Map<String, Object> link = Map.of("connection", connection.name(), "subject", identity.subject(),
                    "basis", plan.basis().name());
            audit.record(org, actor, "sso.identity-linked", AuditTarget.of("account", account.id(), account.email()),
                    null, link);
            audit.recordAccountChange(account.id(), actor, "account.sso-linked",
                    AuditTarget.of("account", account.id(), account.email()), null, link);
        }
        // In the sign-in's own transaction: the record of it commits with what it changed.
        audit.record(org, actor, "sso.signed-in", AuditTarget.of("account", account.id(), account.email()), null,
                Map.of("subject", identity.subject(), "groups", groups.map(Set::size).orElse(-1)));
    }

    private static Optional<String> matchingGrant(List<AccessGrant> grants, EmailAddress address,
                                                  Optional<Set<String>> groups, boolean domainVerified,
                                                  boolean addressGranted) {
        if (addressGranted) {
            return Optional.of("EMAIL");
        }
        for (AccessGrant grant : grants) {
            if (grant.kind() == AccessGrant.Kind.DOMAIN && domainVerified
                    && grant.value().equals(address.domain())) {
                return Optional.of("DOMAIN " + grant.value());
            }
            if (grant.kind() == AccessGrant.Kind.GROUP && groups.isPresent() && groups.get().contains(grant.value())) {
                return Optional.of("GROUP " + grant.value());
            }
        }
        return Optional.empty();
    }

    static Actor actor(SsoConnection connection) {
        return Actor.directory("sso:" + connection.name(), Channel.SSO);
    }

    private static String cap(String value) {
        return value.length() > 8000 ? value.substring(0, 8000) : value;
    }
}
