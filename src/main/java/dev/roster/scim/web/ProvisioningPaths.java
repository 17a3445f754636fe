package dev.roster.scim.web;

import java.util.UUID;

import dev.roster.shared.OrgContext;

/** Where the provisioning pages live, under {@code /orgs/{slug}/manage/}. */
final class ProvisioningPaths {

    private ProvisioningPaths() {
    }

    static String overview(OrgContext org) {
        return manage(org) + "provisioning";
    }

    /** A directory's page, relative to the organization's manage pages. */
    static String directory(UUID directoryId) {
        return "provisioning/directories/" + directoryId;
    }

    static String directory(OrgContext org, UUID directoryId) {
        return manage(org) + directory(directoryId);
    }

    static String requests(OrgContext org, UUID directoryId) {
        return directory(org, directoryId) + "/requests";
    }

    private static String manage(OrgContext org) {
        return "/orgs/" + org.slug() + "/manage/";
    }
}
