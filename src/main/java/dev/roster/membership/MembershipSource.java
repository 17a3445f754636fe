package dev.roster.membership;

/** How a membership came to be. */
public enum MembershipSource {
    INVITATION, SSO, SCIM, BOOTSTRAP
}
