package dev.roster.resource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.roster.shared.RosterException;

/** No team of the person that reaches the environment has a free place; the answer carries each team's usage. */
public class QuotaExhaustedException extends RosterException {

    private final List<QuotaUsage> usage;

    QuotaExhaustedException(String message, List<QuotaUsage> usage) {
        super("quota-exhausted", message, Map.of());
        this.usage = List.copyOf(usage);
    }

    public List<QuotaUsage> usage() {
        return usage;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("teams", usage.stream().map(u -> {
            Map<String, Object> team = new LinkedHashMap<>();
            team.put("team", u.teamId().toString());
            team.put("name", u.teamName());
            team.put("maxConcurrent", u.maxConcurrent());
            team.put("inUse", u.inUse());
            return team;
        }).toList());
    }
}
