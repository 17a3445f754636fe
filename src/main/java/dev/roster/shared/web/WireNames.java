package dev.roster.shared.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.roster.shared.InvalidRequestException;

/**
 * Enum values as the API writes them: lower case with hyphens ({@code SUSPENDED} is {@code "suspended"}). Input is
 * read case-insensitively, with hyphens or underscores, so {@code ACTIVE} and {@code active} both work.
 */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Null or blank means "not given"; anything else must name a value, or the field is reported. */
    public static <E extends Enum<E>> E parse(Class<E> type, String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String wanted = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        throw InvalidRequestException.field(field, field + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", ")) + ".");
    }
}
