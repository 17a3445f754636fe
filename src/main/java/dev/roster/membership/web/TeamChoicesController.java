package dev.roster.membership.web;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;

/**
 * The search behind a team picker in an organization with more teams than a picker lists: the control again, with
 * the teams whose name contains what was typed and the ones already chosen (sent along from the control).
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/team-choices")
class TeamChoicesController {

    private final TeamService teams;

    TeamChoicesController(TeamService teams) {
        this.teams = teams;
    }

    @GetMapping
    String choices(OrgContext org, @RequestParam String id, @RequestParam String field,
                   @RequestParam TeamPicker.Value value, @RequestParam TeamPicker.Kind kind,
                   @RequestParam(required = false) String emptyValue,
                   @RequestParam(required = false) String emptyLabel,
                   @RequestParam(required = false) String errorId,
                   @RequestParam(required = false) List<UUID> exclude,
                   @RequestParam(defaultValue = "") String teamQuery, HttpServletRequest request, Model model) {
        String[] chosen = request.getParameterValues(field);
        List<String> selected = chosen == null ? List.of() : Arrays.stream(chosen).limit(1000).toList();
        TeamPicker picker;
        try {
            picker = new TeamPicker(id, field, value, kind, emptyValue, emptyLabel,
                    teams.search(org.organizationId(), teamQuery, selected), new HashSet<>(selected),
                    exclude == null ? Set.of() : Set.copyOf(exclude), errorId);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidRequestException(ex.getMessage());
        }
        model.addAttribute("picker", picker);
        return "membership/team-picker :: control";
    }
}
