package dev.roster.sso.connection;

import java.util.Locale;

import dev.roster.shared.InvalidRequestException;

/** The identity provider behind a connection; it decides the default attribute names and the group look-ups. */
public enum ConnectionKind {
    ENTRA, OKTA, GENERIC;

    public static ConnectionKind parse(String value) {
        if (value != null) {
            for (ConnectionKind kind : values()) {
                if (kind.name().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
        }
        throw InvalidRequestException.field("kind", "kind is one of entra, okta, generic.");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
