package dev.roster.membership;

/**
 * Who put a member in a team. Grants from different sources are independent: a member is in the team while any
 * grant exists, and each channel adds and removes only its own, so SSO and SCIM never undo what an admin did by
 * hand (MANUAL), and an admin's removal of the manual grant leaves a directory's grant in place.
 */
public enum TeamSource {
    MANUAL, SSO, SCIM;

    public boolean isDirectory() {
        return this != MANUAL;
    }
}
