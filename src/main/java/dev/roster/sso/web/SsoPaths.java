package dev.roster.sso.web;

import java.util.UUID;

import dev.roster.shared.OrgContext;

/** Where the single sign-on pages live, under {@code /orgs/{slug}/manage/}. */
final class SsoPaths {

    private SsoPaths() {
    }

    static String overview(OrgContext org) {
        return manage(org) + "sso";
    }

    static String connection(OrgContext org, UUID connectionId) {
        return manage(org) + "sso/connections/" + connectionId;
    }

    /** A connection's access grants and group mappings, relative to the organization's manage pages. */
    static String access(UUID connectionId) {
        return "sso/connections/" + connectionId + "/access";
    }

    static String access(OrgContext org, UUID connectionId) {
        return manage(org) + access(connectionId);
    }

    private static String manage(OrgContext org) {
        return "/orgs/" + org.slug() + "/manage/";
    }
}
