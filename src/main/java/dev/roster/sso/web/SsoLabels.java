package dev.roster.sso.web;

/** How the single sign-on pages name kinds, policies and grant kinds. */
final class SsoLabels {

    private SsoLabels() {
    }

    /** A connection kind as the API spells it ("entra") in words. */
    static String kind(String kind) {
        return switch (kind) {
            case "entra" -> "Microsoft Entra ID";
            case "okta" -> "Okta";
            default -> "Other SAML identity provider";
        };
    }

    static String grantKind(String kind) {
        return switch (kind) {
            case "DOMAIN" -> "Everyone at a verified domain";
            case "GROUP" -> "Members of an IdP group";
            case "EMAIL" -> "One address";
            default -> kind;
        };
    }
}
