package dev.roster.sso.connection;

import java.util.List;

/**
 * Which assertion attributes carry what. {@code subject} is the stable identifier that links an IdP identity to a
 * Roster account; when it is null the NameID is used, and then only if it is persistent or unspecified (a transient
 * NameID changes at every login). The email always comes from {@code email}, or from the NameID only when its format
 * says it is an email address: Roster never assumes a NameID is one.
 */
public record AttributeMapping(String subject, String email, String firstName, String lastName, String displayName,
                               String groups, String groupsOverage) {

    public static final String ENTRA_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
    public static final String ENTRA_OBJECT_ID = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public static final String ENTRA_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";
    public static final String ENTRA_GROUPS_LINK = "http://schemas.microsoft.com/claims/groups.link";

    public static AttributeMapping defaults(ConnectionKind kind) {
        return switch (kind) {
            case ENTRA -> new AttributeMapping(ENTRA_OBJECT_ID, ENTRA_CLAIMS + "emailaddress",
                    ENTRA_CLAIMS + "givenname", ENTRA_CLAIMS + "surname",
                    "http://schemas.microsoft.com/identity/claims/displayname", ENTRA_GROUPS, ENTRA_GROUPS_LINK);
            case OKTA -> new AttributeMapping(null, "email", "firstName", "lastName", "displayName", "groups", null);
            case GENERIC -> new AttributeMapping(null, "email", "firstName", "lastName", "displayName", "groups", null);
        };
    }

    /** Fields left null take the kind's default. */
    AttributeMapping withDefaults(ConnectionKind kind) {
        AttributeMapping d = defaults(kind);
        return new AttributeMapping(or(subject, d.subject), or(email, d.email), or(firstName, d.firstName),
                or(lastName, d.lastName), or(displayName, d.displayName), or(groups, d.groups),
                or(groupsOverage, d.groupsOverage));
    }

    public List<String> emailAttributes() {
        // urn:oid:0.9.2342.19200300.100.1.3 is "mail" in the SAML2 attribute profile (eduPerson, Shibboleth, ADFS).
        return List.of(email, "urn:oid:0.9.2342.19200300.100.1.3");
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
