package dev.roster.membership;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the team picker fragment ({@code membership/team-picker}) renders: a {@code <select>} or a list of checkboxes
 * named {@code field}, whose values are team ids or names, with an optional first entry that is not a team ("Any",
 * "No team"). When the organization has more teams than a picker lists ({@link TeamChoices#complete()} is false), a
 * search field above it asks {@code /orgs/{slug}/manage/team-choices} for the teams matching what is typed, and the
 * answer replaces the control, keeping what was chosen.
 *
 * @param id         the control's element id (a {@code <label for>} points at it)
 * @param excluded   teams never offered (a member's own teams, the team a resource is in)
 * @param errorId    the id of the field's error message when there is one, else null
 */
public record TeamPicker(String id, String field, Value value, Kind kind, String emptyValue, String emptyLabel,
                         TeamChoices choices, Set<String> selected, Set<UUID> excluded, String errorId) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,59}");

    /** What the form posts for a team. */
    public enum Value {
        ID, NAME
    }

    public enum Kind {
        SELECT, CHECKBOXES
    }

    public TeamPicker {
        if (!NAME.matcher(id).matches() || !NAME.matcher(field).matches()
                || (errorId != null && !NAME.matcher(errorId).matches())) {
            throw new IllegalArgumentException("a picker's id, field and error id are plain names");
        }
        selected = selected.stream().filter(v -> v != null && !v.isBlank()).map(TeamPicker::normalize)
                .collect(Collectors.toUnmodifiableSet());
        excluded = Set.copyOf(excluded);
        choices = choices.without(excluded);
    }

    public static TeamPicker select(String id, String field, Value value, String emptyValue, String emptyLabel,
                                    TeamChoices choices, Collection<String> selected) {
        return new TeamPicker(id, field, value, Kind.SELECT, emptyValue, emptyLabel, choices, new HashSet<>(selected),
                Set.of(), null);
    }

    public static TeamPicker checkboxes(String id, String field, Value value, TeamChoices choices,
                                        Collection<String> selected) {
        return new TeamPicker(id, field, value, Kind.CHECKBOXES, null, null, choices, new HashSet<>(selected),
                Set.of(), null);
    }

    public TeamPicker withError(String errorId) {
        return new TeamPicker(id, field, value, kind, emptyValue, emptyLabel, choices, selected, excluded, errorId);
    }

    public TeamPicker excluding(Collection<UUID> teamIds) {
        return new TeamPicker(id, field, value, kind, emptyValue, emptyLabel, choices, selected, Set.copyOf(teamIds),
                errorId);
    }

    /** Where the search field asks for matching teams; the chosen ones are sent along from the control. */
    public String searchUrl(String organizationSlug) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/orgs/{slug}/manage/team-choices")
                .queryParam("id", id).queryParam("field", field).queryParam("value", value)
                .queryParam("kind", kind);
        if (emptyValue != null) {
            url.queryParam("emptyValue", "{emptyValue}").queryParam("emptyLabel", "{emptyLabel}");
        }
        if (errorId != null) {
            url.queryParam("errorId", errorId);
        }
        excluded.forEach(team -> url.queryParam("exclude", team));
        return url.encode().buildAndExpand(Map.of("slug", organizationSlug, "emptyValue",
                emptyValue == null ? "" : emptyValue, "emptyLabel", emptyLabel == null ? "" : emptyLabel)).toUriString();
    }

    public String valueOf(Team team) {
        return value == Value.ID ? team.id().toString() : team.name();
    }

    public boolean isSelected(Team team) {
        return selected.contains(normalize(valueOf(team)));
    }

    public boolean isEmptySelected() {
        return emptyValue != null && (selected.isEmpty() || selected.contains(normalize(emptyValue)));
    }

    public boolean isSelect() {
        return kind == Kind.SELECT;
    }

    /** Names are matched as teams are, ignoring case; ids are lower case either way. */
    private static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
