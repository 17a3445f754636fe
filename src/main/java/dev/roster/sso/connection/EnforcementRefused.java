package dev.roster.sso.connection;

import java.util.Map;

import dev.roster.shared.ConflictException;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.web.SsoApiController;

/**
 * Enforcing single sign-on would leave the organization without an admin who can sign in (409
 * {@code enforcement-locks-out-admins}); no confirmation overrides it.
 */
public class EnforcementRefused extends ConflictException {

    private final transient SsoBreakGlass.Impact impact;

    public EnforcementRefused(SsoBreakGlass.Impact impact) {
        super("enforcement-locks-out-admins", "No admin could sign in once single sign-on is enforced for "
                + String.join(", ", impact.domains()) + ". First let an admin sign in through this identity "
                + "provider, or give an admin a second factor" + (impact.breakGlass() ? "" : " and keep the admins' "
                + "password sign-in") + ".");
        this.impact = impact;
    }

    /** The counts, as members of the problem document the API answers ({@code SsoApiController}). */
    public Map<String, Object> counts() {
        return describe(impact);
    }

    static Map<String, Object> describe(SsoBreakGlass.Impact impact) {
        return EnforcementNeedsConfirmation.describe(impact);
    }
}
