package dev.roster.scim.directory;

import java.util.Locale;

import dev.roster.shared.InvalidRequestException;

/** Which identity provider a directory is set up for; it chooses the set-up help shown, not the protocol. */
public enum DirectoryKind {
    ENTRA, OKTA, GENERIC;

    public static DirectoryKind parse(String value) {
        if (value == null) {
            throw InvalidRequestException.field("kind", "Choose a kind: entra, okta or generic.");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw InvalidRequestException.field("kind", "Choose a kind: entra, okta or generic.");
        }
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
