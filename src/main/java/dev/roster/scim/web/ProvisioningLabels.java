package dev.roster.scim.web;

import dev.roster.scim.directory.DirectoryKind;

/** How the provisioning pages name directory kinds. */
final class ProvisioningLabels {

    private ProvisioningLabels() {
    }

    static String kind(DirectoryKind kind) {
        return switch (kind) {
            case ENTRA -> "Microsoft Entra ID";
            case OKTA -> "Okta";
            case GENERIC -> "Other SCIM client";
        };
    }
}
