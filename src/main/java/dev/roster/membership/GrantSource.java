package dev.roster.membership;

/**
 * Who granted a member a team, or the admin role. Grants from different sources are independent: a member is in the
 * team (or an admin) while any grant exists, and each channel adds and removes only its own, so SSO and SCIM never
 * undo what an admin did by hand (MANUAL), and an admin's removal of the manual grant leaves a directory's in place.
 */
public enum GrantSource {
    MANUAL, SSO, SCIM;

    public boolean isDirectory() {
        return this != MANUAL;
    }
}
