package dev.roster.membership.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.membership.MemberReads;
import dev.roster.membership.MemberReads.MemberFilter;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.membership.TeamService.DeletionImpact;
import dev.roster.membership.MemberView;
import dev.roster.membership.TeamView;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/** Teams, for admins: create, list with member counts, rename, and delete once nothing depends on the team. */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/teams")
class TeamsApiController {

    private final TeamService teams;
    private final MemberReads directory;

    TeamsApiController(TeamService teams, MemberReads directory) {
        this.teams = teams;
        this.directory = directory;
    }

    record NewTeam(@NotBlank(message = "A team needs a name.")
                   @Size(max = 100, message = "A team name has at most 100 characters.") String name,
                   @Size(max = 1000, message = "A description has at most 1000 characters.") String description) {
    }

    /** Absent (or null) fields stay as they are; an empty description clears it. */
    record TeamChange(@Size(max = 100, message = "A team name has at most 100 characters.") String name,
                      @Size(max = 1000, message = "A description has at most 1000 characters.") String description) {
    }

    record TeamDetail(UUID id, String name, String description, long memberCount, Instant createdAt,
                      Instant updatedAt, PageResult<MemberView> members) {
    }

    record TeamRef(UUID id, String name) {
    }

    record DeletionImpactView(TeamRef team, long memberCount, List<String> blockers, List<String> effects,
                              boolean allowed) {

        static DeletionImpactView of(DeletionImpact impact) {
            return new DeletionImpactView(new TeamRef(impact.team().id(), impact.team().name()),
                    impact.memberCount(), impact.blockers(), impact.effects(), impact.allowed());
        }
    }

    @PostMapping
    ResponseEntity<TeamView> create(OrgContext org, @Valid @RequestBody NewTeam body) {
        Team team = teams.create(org.organizationId(), body.name(), body.description(), org.actor());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/teams/" + team.id()))
                .body(TeamView.of(team, 0L));
    }

    @GetMapping
    PageResult<TeamView> list(OrgContext org, @RequestParam(required = false) String search,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size) {
        return teams.list(org.organizationId(), search, PageQuery.of(page, size)).map(TeamView::of);
    }

    /** The team with one page of its members (suspended members included; their status says so). */
    @GetMapping("/{id}")
    TeamDetail get(OrgContext org, @PathVariable UUID id, @RequestParam(required = false) Integer page,
                   @RequestParam(required = false) Integer size) {
        Team team = teams.get(org.organizationId(), id);
        PageResult<MemberView> members = directory.list(org.organizationId(),
                new MemberFilter(null, null, null, team.id()), PageQuery.of(page, size)).map(MemberView::of);
        return new TeamDetail(team.id(), team.name(), team.description(), members.total(), team.createdAt(),
                team.updatedAt(), members);
    }

    @PatchMapping("/{id}")
    TeamView update(OrgContext org, @PathVariable UUID id, @Valid @RequestBody TeamChange body) {
        return TeamView.of(teams.update(org.organizationId(), id, body.name(), body.description(), org.actor()), null);
    }

    /** What deleting the team would do: members who lose it, and what blocks or is changed by the deletion. */
    @GetMapping("/{id}/deletion-impact")
    DeletionImpactView deletionImpact(OrgContext org, @PathVariable UUID id) {
        return DeletionImpactView.of(teams.deletionImpact(org.organizationId(), id));
    }

    /** 409 {@code team-in-use} while something (resources it owns, for one) depends on the team. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(OrgContext org, @PathVariable UUID id) {
        teams.delete(org.organizationId(), id, org.actor());
        return ResponseEntity.noContent().build();
    }
}
