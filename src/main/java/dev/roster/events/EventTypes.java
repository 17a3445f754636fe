package dev.roster.events;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.roster.shared.InvalidRequestException;

/**
 * Which event types a reader or an endpoint wants, from the patterns a client gives: an exact type
 * ({@code member.removed}), every type under a prefix ({@code member.*}, {@code sso.*}) or {@code *}. A pattern that
 * matches no type is refused, so a typo does not silently subscribe to nothing.
 *
 * @param patterns the patterns as given (normalized), for showing back
 * @param types    the stream's types they select
 */
public record EventTypes(List<String> patterns, Set<EventType> types) {

    public static final EventTypes ALL = new EventTypes(List.of("*"), streamedTypes());

    public EventTypes {
        patterns = List.copyOf(patterns);
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** Parses patterns; {@code field} names the request field in the error. Null or empty means every type. */
    public static EventTypes parse(Collection<String> patterns, String field) {
        if (patterns == null || patterns.stream().allMatch(p -> p == null || p.isBlank())) {
            return ALL;
        }
        Set<String> normalized = new LinkedHashSet<>();
        Set<EventType> selected = EnumSet.noneOf(EventType.class);
        for (String raw : patterns) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String pattern = raw.trim().toLowerCase(Locale.ROOT);
            Set<EventType> matched = match(pattern);
            if (matched.isEmpty()) {
                throw InvalidRequestException.field(field, "Unknown event type '" + raw.trim() + "'. Use a type such "
                        + "as member.added, a prefix such as member.*, or *.");
            }
            normalized.add(pattern);
            selected.addAll(matched);
        }
        return new EventTypes(List.copyOf(normalized), selected);
    }

    /** Parses a comma-separated list, as the Events API's {@code types} parameter and the stored column have it. */
    public static EventTypes parseList(String commaSeparated, String field) {
        return parse(commaSeparated == null ? List.of() : Arrays.asList(commaSeparated.split(",")), field);
    }

    public boolean all() {
        return types.containsAll(streamedTypes());
    }

    public boolean matches(EventType type) {
        return types.contains(type);
    }

    /** The wire names of the selected types, for {@code event_type IN (...)}. */
    public List<String> wireNames() {
        return types.stream().map(EventType::wireName).sorted().toList();
    }

    /** The patterns joined by commas, as stored. */
    public String joined() {
        return String.join(",", patterns);
    }

    private static Set<EventType> match(String pattern) {
        if (pattern.equals("*")) {
            return streamedTypes();
        }
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return streamedTypes().stream().filter(t -> t.wireName().startsWith(prefix))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class)));
        }
        return EventType.of(pattern).filter(EventType::streamed).map(EnumSet::of)
                .orElseGet(() -> EnumSet.noneOf(EventType.class));
    }

    private static Set<EventType> streamedTypes() {
        return Arrays.stream(EventType.values()).filter(EventType::streamed)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class)));
    }
}
