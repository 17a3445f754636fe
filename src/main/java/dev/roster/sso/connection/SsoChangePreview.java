package dev.roster.sso.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.account.AccountService;
import dev.roster.membership.AccessImpact;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.shared.web.DisplayTime;
import dev.roster.sso.DirectoryManagedOrganizations;
import dev.roster.sso.access.AccessGrant;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.access.SsoAccessRepository;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SsoSignIn;

/**
 * What adding or removing an access grant or a group mapping of a connection would do, before it is done. Worked out
 * from what Roster knows: the groups each member had at their last sign-in through the connection (kept in
 * {@code sso_identity.groups_seen}), their current teams, and the sign-ins the connection refused lately (the audit
 * log keeps their address, reason and groups). SSO applies grants and mappings at sign-in, so the effect reaches each
 * person when they next sign in.
 */
@Service
@Transactional(readOnly = true)
public class SsoChangePreview {

    /** How far back refused sign-ins count as people a new grant would let in. */
    static final Duration REFUSALS = Duration.ofDays(30);
    private static final int REFUSALS_READ = PageQuery.MAX_SIZE;
    private static final int NAMES_IN_NOTE = 5;
    private static final String DIRECTORY_MANAGED = "A SCIM directory manages this organization's members, and this "
            + "connection's SCIM policy is \"login only\": single sign-on signs members in and changes nothing else.";

    private final SsoAccessService service;
    private final SsoConnectionService connections;
    private final SsoAccessRepository access;
    private final SsoDomainService domains;
    private final MemberReads members;
    private final AccountService accounts;
    private final AuditLog audit;
    private final ObjectProvider<DirectoryManagedOrganizations> directories;
    private final Clock clock;

    SsoChangePreview(SsoAccessService service, SsoConnectionService connections, SsoAccessRepository access,
                     SsoDomainService domains, MemberReads members, AccountService accounts, AuditLog audit,
                     ObjectProvider<DirectoryManagedOrganizations> directories, Clock clock) {
        this.service = service;
        this.connections = connections;
        this.access = access;
        this.domains = domains;
        this.members = members;
        this.accounts = accounts;
        this.audit = audit;
        this.directories = directories;
        this.clock = clock;
    }

    /** A member as the connection last saw them: their membership and the groups of their last sign-in. */
    public record Known(Member member, Optional<Set<String>> groups, boolean adminFromSso) {
    }

    /** Mapping {@code group} to {@code teamName} and/or admin, as {@link SsoAccessService#addMapping} would. */
    public AccessImpact addMapping(UUID organizationId, UUID connectionId, String group, String teamName,
                                   boolean admin) {
        SsoAccessService.MappingInput input = service.checkMapping(organizationId, connectionId, group, teamName,
                null, admin);
        List<GroupMapping> before = access.mappings(organizationId, connectionId);
        List<GroupMapping> after = new ArrayList<>(before);
        after.add(new GroupMapping(null, connectionId, input.group(), null,
                input.team() == null ? null : input.team().id(), input.team() == null ? null : input.team().name(),
                input.role(), admin, clock.instant()));
        return mappings(input.connection(), before, after);
    }

    /** Removing one mapping of the connection. */
    public AccessImpact removeMapping(UUID organizationId, UUID connectionId, UUID mappingId) {
        GroupMapping removed = service.mapping(organizationId, connectionId, mappingId);
        SsoConnection connection = connections.get(organizationId, connectionId);
        List<GroupMapping> before = access.mappings(organizationId, connectionId);
        List<GroupMapping> after = before.stream().filter(m -> !m.id().equals(removed.id())).toList();
        return mappings(connection, before, after);
    }

    /** Adding an access grant: who was refused lately and would now get in, and who matches it already. */
    public AccessImpact addGrant(UUID organizationId, UUID connectionId, String kind, String value, Actor actor) {
        SsoAccessService.GrantInput input = service.checkGrant(organizationId, connectionId, kind, value, actor);
        SsoConnection connection = input.connection();
        List<String> notes = new ArrayList<>();
        if (directoryManaged(connection)) {
            notes.add(DIRECTORY_MANAGED + " Access grants let nobody in while it does.");
            return AccessImpact.of(GrantSource.SSO, List.of(), Map.of(), List.of(), null, notes);
        }
        AccessGrant grant = new AccessGrant(null, connectionId, input.kind(), input.value(), clock.instant());
        // checkGrant has refused a domain this organization has not verified.
        List<Known> known = known(connection);
        List<Known> matching = known.stream()
                .filter(k -> matches(grant, k.member().email(), k.groups(), true)).toList();
        if (!matching.isEmpty()) {
            notes.add(count(matching.size(), "member who signed in", "members who signed in") + " through "
                    + connection.name() + " already match this grant: nothing changes for them.");
        }
        List<AccessImpact.Person> admitted = admitted(connection, grant);
        if (admitted.isEmpty()) {
            notes.add("Nobody was refused a sign-in through " + connection.name() + " in the last "
                    + REFUSALS.toDays() + " days whom this grant would have let in.");
        }
        notes.add("Anyone else who matches it can join at their first sign-in through " + connection.name()
                + "; Roster cannot list people it has not seen yet.");
        return AccessImpact.of(GrantSource.SSO, List.of(), Map.of(), admitted,
                "When they next sign in through " + connection.name(), notes);
    }

    /**
     * Removing an access grant. Grants decide who may join, not who stays, so nobody loses access; the preview names
     * the members who match no other grant, who could not join again through SSO if they were removed.
     */
    public AccessImpact removeGrant(UUID organizationId, UUID connectionId, UUID grantId) {
        AccessGrant grant = service.grant(organizationId, connectionId, grantId);
        SsoConnection connection = connections.get(organizationId, connectionId);
        List<String> notes = new ArrayList<>();
        if (directoryManaged(connection)) {
            notes.add(DIRECTORY_MANAGED + " Access grants let nobody in while it does.");
            return AccessImpact.of(GrantSource.SSO, List.of(), Map.of(), List.of(), null, notes);
        }
        List<AccessGrant> others = access.grants(organizationId, connectionId).stream()
                .filter(g -> !g.id().equals(grant.id())).toList();
        List<Member> onlyThis = known(connection).stream()
                .filter(k -> matches(grant, k.member().email(), k.groups(), verified(organizationId, grant)))
                .filter(k -> others.stream().noneMatch(g -> matches(g, k.member().email(), k.groups(),
                        verified(organizationId, g))))
                .map(Known::member).toList();
        notes.add("Nobody loses access: grants decide who may join, and members stay members. Remove people on the "
                + "Members page.");
        if (onlyThis.isEmpty()) {
            notes.add("No member who signed in through " + connection.name() + " depends on this grant alone.");
        }
        else {
            notes.add(count(onlyThis.size(), "member matches", "members match") + " only this grant ("
                    + names(onlyThis) + "): if they were removed, they could not join again through SSO.");
        }
        notes.add("From now on, people who match only this grant and are not members yet are refused at sign-in.");
        return AccessImpact.of(GrantSource.SSO, List.of(), Map.of(), List.of(), null, notes);
    }

    private AccessImpact mappings(SsoConnection connection, List<GroupMapping> before, List<GroupMapping> after) {
        List<String> notes = new ArrayList<>();
        if (directoryManaged(connection)) {
            notes.add(DIRECTORY_MANAGED + " Map the groups under Provisioning instead, or set the connection's "
                    + "SCIM policy to \"provision\".");
            return AccessImpact.of(GrantSource.SSO, List.of(), Map.of(), List.of(), null, notes);
        }
        List<Known> known = known(connection);
        long unknown = known.stream().filter(k -> k.groups().isEmpty()).count();
        notes.add("Worked out from the groups each of the " + count(known.size(), "member", "members")
                + " who signed in through " + connection.name() + " had at their last sign-in.");
        if (unknown > 0) {
            notes.add(count(unknown, "member's groups are", "members' groups are") + " unknown (the identity "
                    + "provider sent none Roster could read at their last sign-in), so they are not counted.");
        }
        if (!connection.enabled()) {
            notes.add("The connection is disabled: nobody signs in through it until it is enabled again.");
        }
        AccessImpact impact = impact(known, before, after, "When they next sign in through " + connection.name(),
                notes);
        if (!impact.loseAdmin().isEmpty()) {
            List<String> withNote = new ArrayList<>(impact.notes());
            withNote.add("The organization's last admin always stays an admin.");
            impact = new AccessImpact(impact.teams(), impact.becomeAdmin(), impact.loseAdmin(), impact.admitted(),
                    impact.timing(), withNote);
        }
        return impact;
    }

    /** The effect of replacing {@code before} by {@code after} on members with known groups. */
    public static AccessImpact impact(Collection<Known> known, List<GroupMapping> before, List<GroupMapping> after,
                               String timing, List<String> notes) {
        Map<UUID, String> teamNames = new HashMap<>();
        before.forEach(m -> putTeam(teamNames, m));
        after.forEach(m -> putTeam(teamNames, m));
        List<AccessImpact.Subject> subjects = new ArrayList<>();
        for (Known k : known) {
            if (k.groups().isEmpty()) {
                continue;
            }
            Set<String> groups = k.groups().get();
            subjects.add(new AccessImpact.Subject(k.member(), teams(groups, before), teams(groups, after),
                    admin(groups, before), admin(groups, after), k.adminFromSso()));
        }
        return AccessImpact.of(GrantSource.SSO, subjects, teamNames, List.of(), timing, notes);
    }

    /** The teams mappings give to someone in {@code groups}, as a sign-in computes them. */
    static Set<UUID> teams(Set<String> groups, List<GroupMapping> mappings) {
        Set<UUID> teams = new HashSet<>();
        for (GroupMapping mapping : mappings) {
            if (mapping.teamId() != null && groups.contains(mapping.groupValue())) {
                teams.add(mapping.teamId());
            }
        }
        return teams;
    }

    static boolean admin(Set<String> groups, List<GroupMapping> mappings) {
        return mappings.stream().anyMatch(m -> m.admin() && groups.contains(m.groupValue()));
    }

    /** Whether a grant lets in the address with these groups, as {@link SsoSignIn} decides. */
    public static boolean matches(AccessGrant grant, String email, Optional<Set<String>> groups, boolean domainVerified) {
        Optional<EmailAddress> address = EmailAddress.parse(email);
        return switch (grant.kind()) {
            case EMAIL -> address.map(a -> a.normalized().equals(grant.value())).orElse(false);
            case DOMAIN -> domainVerified && address.map(a -> a.domain().equals(grant.value())).orElse(false);
            case GROUP -> groups.map(g -> g.contains(grant.value())).orElse(false);
        };
    }

    private static void putTeam(Map<UUID, String> names, GroupMapping mapping) {
        if (mapping.teamId() != null) {
            names.put(mapping.teamId(), mapping.teamName());
        }
    }

    /** The live members who signed in through the connection, with the groups of their last sign-in. */
    private List<Known> known(SsoConnection connection) {
        UUID org = connection.organizationId();
        List<SsoAccessRepository.KnownIdentity> identities = access.identities(org, connection.id());
        Map<UUID, Member> byAccount = members.membersOfAccounts(org,
                        identities.stream().map(SsoAccessRepository.KnownIdentity::accountId).toList()).stream()
                .collect(Collectors.toMap(Member::accountId, Function.identity()));
        Set<UUID> madeAdmin = members.accountsAdminOnlyFrom(org, GrantSource.SSO);
        List<Known> known = new ArrayList<>();
        for (SsoAccessRepository.KnownIdentity identity : identities) {
            Member member = byAccount.get(identity.accountId());
            if (member != null) {
                known.add(new Known(member, identity.groups(), madeAdmin.contains(identity.accountId())));
            }
        }
        return known;
    }

    /**
     * People the connection refused lately for want of a grant (or, for an address grant, because their domain is
     * not verified) whom {@code grant} would let in, newest refusal first, one entry per address, without those who
     * are members now.
     */
    private List<AccessImpact.Person> admitted(SsoConnection connection, AccessGrant grant) {
        UUID org = connection.organizationId();
        Instant since = clock.instant().minus(REFUSALS);
        List<AuditEvent> refusals = audit.find(org, new AuditQuery(null, null, null, "sso.login-denied",
                connection.id().toString(), since, null), PageQuery.of(0, REFUSALS_READ)).items();
        List<GroupMapping> mappings = access.mappings(org, connection.id());
        List<AccessGrant> existing = access.grants(org, connection.id());
        Map<String, AccessImpact.Person> people = new LinkedHashMap<>();
        for (AuditEvent event : refusals) {
            JsonNode details = event.after();
            if (details == null || !connection.id().toString().equals(event.targetId())) {
                continue;
            }
            String reason = details.path("reason").asText();
            String email = details.path("email").asText(null);
            // Refused for their groups being unknown: a domain or address grant would let them in as well.
            boolean eligible = "no-grant".equals(reason) || "groups-unknown".equals(reason)
                    || "groups-need-graph".equals(reason)
                    || ("unverified-domain".equals(reason) && grant.kind() == AccessGrant.Kind.EMAIL);
            if (!eligible || email == null || people.containsKey(email.toLowerCase(Locale.ROOT))) {
                continue;
            }
            Optional<Set<String>> groups = Optional.empty();
            if (details.path("groups").isArray()) {
                Set<String> seen = new TreeSet<>();
                details.path("groups").forEach(g -> seen.add(g.asText()));
                groups = Optional.of(seen);
            }
            Optional<Set<String>> seen = groups;
            // Someone a grant made since lets in already would not owe their way in to this one.
            boolean admittedAlready = existing.stream().anyMatch(g -> matches(g, email, seen, verified(org, g)));
            if (!matches(grant, email, groups, true) || admittedAlready || isMember(org, email)) {
                continue;
            }
            String joins = groups.map(g -> teams(g, mappings)).map(t -> teamNames(t, mappings)).orElse("");
            people.put(email.toLowerCase(Locale.ROOT), new AccessImpact.Person(null, email, email,
                    "refused " + DisplayTime.of(event.occurredAt(), "") + (joins.isEmpty() ? ""
                            : "; would join " + joins)
                            + (groups.map(g -> admin(g, mappings)).orElse(false) ? " as an admin" : "")));
        }
        return List.copyOf(people.values());
    }

    /** Whether a domain grant's domain is verified (other kinds need no domain). */
    private boolean verified(UUID organizationId, AccessGrant grant) {
        return grant.kind() != AccessGrant.Kind.DOMAIN || domains.isVerified(organizationId, grant.value());
    }

    private boolean isMember(UUID organizationId, String email) {
        return accounts.findByEmail(email).flatMap(a -> members.findByAccount(organizationId, a.id()))
                .filter(m -> m.status() != MembershipStatus.REMOVED).isPresent();
    }

    private static String teamNames(Set<UUID> teams, List<GroupMapping> mappings) {
        return mappings.stream().filter(m -> m.teamId() != null && teams.contains(m.teamId()))
                .map(GroupMapping::teamName).distinct().sorted().collect(Collectors.joining(", "));
    }

    private boolean directoryManaged(SsoConnection connection) {
        return connection.scimPolicy() == ScimPolicy.LOGIN_ONLY
                && directories.orderedStream().anyMatch(d -> d.managesMembers(connection.organizationId()));
    }

    private static String names(List<Member> people) {
        String shown = people.stream().limit(NAMES_IN_NOTE).map(Member::displayName).collect(Collectors.joining(", "));
        return people.size() > NAMES_IN_NOTE ? shown + " and " + (people.size() - NAMES_IN_NOTE) + " more" : shown;
    }

    private static String count(long n, String one, String several) {
        return n == 1 ? "1 " + one : n + " " + several;
    }
}
