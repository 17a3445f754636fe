package dev.roster.shared;

/** Where a change came from; recorded on every audit event. */
public enum Channel {
    UI, API, INVITATION, SSO, SCIM, SYSTEM
}
