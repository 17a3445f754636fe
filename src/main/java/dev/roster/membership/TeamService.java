package dev.roster.membership;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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

@Service
@Transactional
public class TeamService {

    private final TeamRepository teams;
    private final MembershipService memberships;
    private final List<TeamReferences> references;
    private final AuditLog audit;
    private final MembershipEvents events;
    private final Clock clock;

    TeamService(TeamRepository teams, MembershipService memberships, List<TeamReferences> references, AuditLog audit,
                MembershipEvents events, Clock clock) {
        this.teams = teams;
        this.memberships = memberships;
        this.references = references;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** What deleting a team would do: members who lose it, and what stops or is changed by the deletion. */
    public record DeletionImpact(Team team, long memberCount, List<String> blockers, List<String> effects) {

        public boolean allowed() {
            return blockers.isEmpty();
        }
    }

    public Team create(UUID organizationId, String name, String description, Actor actor) {
        String checked = checkName(name);
        if (teams.findByName(organizationId, checked).isPresent()) {
            throw new ConflictException("team-exists", "A team named '" + checked + "' exists.");
        }
        Instant now = clock.instant();
        Team team = new Team(Ids.newId(), organizationId, checked, checkDescription(description), now, now);
        teams.insert(team);
        audit.record(organizationId, actor, "team.created", target(team), null, state(team));
        events.teamCreated(team, actor);
        return team;
    }

    public Team update(UUID organizationId, UUID teamId, String name, String description, Actor actor) {
        Team before = get(organizationId, teamId);
        String newName = name == null ? before.name() : checkName(name);
        Optional<Team> clash = teams.findByName(organizationId, newName);
        if (clash.isPresent() && !clash.get().id().equals(teamId)) {
            throw new ConflictException("team-exists", "A team named '" + newName + "' exists.");
        }
        Team after = new Team(teamId, organizationId, newName,
                description == null ? before.description() : checkDescription(description), before.createdAt(),
                clock.instant());
        teams.update(after);
        audit.record(organizationId, actor, "team.updated", target(after), state(before), state(after));
        if (!after.name().equals(before.name())) {
            events.teamRenamed(before, after, actor);
        }
        return after;
    }

    @Transactional(readOnly = true)
    public DeletionImpact deletionImpact(UUID organizationId, UUID teamId) {
        Team team = get(organizationId, teamId);
        List<String> blockers = new ArrayList<>();
        List<String> effects = new ArrayList<>();
        for (TeamReferences ref : references) {
            blockers.addAll(ref.blockingDeletion(organizationId, teamId));
            effects.addAll(ref.affectedByDeletion(organizationId, teamId));
        }
        return new DeletionImpact(team, teams.memberCount(organizationId, teamId), blockers, effects);
    }

    /**
     * Deletes the team once nothing blocks it (asked first, before anything is written). Its members lose it through
     * {@link MembershipService#deleteTeam}, the one write path, with an audit entry and a {@code member.teams_changed}
     * for each of them, in this transaction.
     */
    public void delete(UUID organizationId, UUID teamId, Actor actor) {
        DeletionImpact impact = deletionImpact(organizationId, teamId);
        if (!impact.allowed()) {
            throw new ConflictException("team-in-use", "The team " + impact.team().name() + " cannot be deleted: "
                    + String.join("; ", impact.blockers()) + ".");
        }
        memberships.deleteTeam(impact.team(), actor);
    }

    @Transactional(readOnly = true)
    public Team get(UUID organizationId, UUID teamId) {
        return teams.find(organizationId, teamId).orElseThrow(() -> new NotFoundException("Team not found."));
    }

    @Transactional(readOnly = true)
    public Optional<Team> findByName(UUID organizationId, String name) {
        return teams.findByName(organizationId, name);
    }

    /**
     * Resolves team names (case-insensitive) to teams, refusing with every unknown name listed so the caller can
     * correct them all at once.
     */
    @Transactional(readOnly = true)
    public List<Team> requireByNames(UUID organizationId, Collection<String> names) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw InvalidRequestException.field("teams", "Team names cannot be blank.");
            }
            wanted.add(TeamRepository.normalize(name));
        }
        List<Team> found = teams.findAllByName(organizationId, wanted);
        Set<String> missing = new LinkedHashSet<>(wanted);
        found.forEach(team -> missing.remove(TeamRepository.normalize(team.name())));
        if (!missing.isEmpty()) {
            throw InvalidRequestException.field("teams", "Unknown team(s): " + String.join(", ", missing) + ".");
        }
        return found;
    }

    @Transactional(readOnly = true)
    public List<Team> findAll(UUID organizationId, Collection<UUID> ids) {
        return teams.findAll(organizationId, ids);
    }

    /**
     * The teams a picker offers. Up to {@link TeamChoices#LISTED_IN_FULL} teams are all listed; beyond that the picker
     * searches, and offers the first {@link TeamChoices#SEARCH_RESULTS} by name plus the teams already chosen (given by
     * id or by name), so that a form shown again keeps its choices.
     */
    @Transactional(readOnly = true)
    public TeamChoices choices(UUID organizationId, Collection<String> chosen) {
        List<Team> first = teams.byName(organizationId, TeamChoices.LISTED_IN_FULL + 1);
        if (first.size() <= TeamChoices.LISTED_IN_FULL) {
            return new TeamChoices(first, true);
        }
        List<Team> offered = new ArrayList<>(first.subList(0, TeamChoices.SEARCH_RESULTS));
        offered.addAll(chosenTeams(organizationId, chosen));
        return new TeamChoices(TeamChoices.byName(offered), false);
    }

    /** Teams whose name contains {@code query}, plus the chosen ones: a picker's search results. */
    @Transactional(readOnly = true)
    public TeamChoices search(UUID organizationId, String query, Collection<String> chosen) {
        List<Team> offered = new ArrayList<>(teams.searchByName(organizationId, query, TeamChoices.SEARCH_RESULTS));
        offered.addAll(chosenTeams(organizationId, chosen));
        return new TeamChoices(TeamChoices.byName(offered), false);
    }

    private List<Team> chosenTeams(UUID organizationId, Collection<String> chosen) {
        List<UUID> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String value : chosen) {
            if (value == null || value.isBlank()) {
                continue;
            }
            Ids.parse(value).ifPresentOrElse(ids::add, () -> names.add(TeamRepository.normalize(value)));
        }
        List<Team> found = new ArrayList<>(teams.findAll(organizationId, ids));
        if (!names.isEmpty()) {
            found.addAll(teams.findAllByName(organizationId, names));
        }
        return found;
    }

    @Transactional(readOnly = true)
    public PageResult<TeamSummary> list(UUID organizationId, String search, PageQuery page) {
        return PageResult.of(teams.page(organizationId, search, page.size(), page.offset()), page,
                teams.count(organizationId, search));
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.field("name", "A team needs a name.");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 100) {
            throw InvalidRequestException.field("name", "A team name has at most 100 characters.");
        }
        return trimmed;
    }

    private static String checkDescription(String description) {
        if (description != null && description.length() > 1000) {
            throw InvalidRequestException.field("description", "A description has at most 1000 characters.");
        }
        return description == null || description.isBlank() ? null : description.trim();
    }

    private static AuditTarget target(Team team) {
        return AuditTarget.of("team", team.id(), team.name());
    }

    private static Map<String, Object> state(Team team) {
        return team.description() == null ? Map.of("name", team.name())
                : Map.of("name", team.name(), "description", team.description());
    }
}
