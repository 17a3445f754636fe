package dev.roster.sso.connection;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.roster.shared.ConflictException;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.web.SsoApiController;

/**
 * Enforcing single sign-on would take password sign-in from people: the client repeats the request with
 * {@code acceptPasswordSignInLoss} set to the count this answers (409 {@code confirmation-required}).
 */
public class EnforcementNeedsConfirmation extends ConflictException {

    private final transient SsoBreakGlass.Impact impact;

    EnforcementNeedsConfirmation(SsoBreakGlass.Impact impact) {
        super("confirmation-required", impact.losingPasswordSignIn() + (impact.losingPasswordSignIn() == 1
                ? " person" : " people") + " with an address at " + String.join(", ", impact.domains())
                + " would no longer sign in with a password. Repeat the request with acceptPasswordSignInLoss: "
                + impact.losingPasswordSignIn() + " to enforce single sign-on.");
        this.impact = impact;
    }

    public SsoBreakGlass.Impact impact() {
        return impact;
    }

    /** The counts, as members of the problem document the API answers ({@code SsoApiController}). */
    public Map<String, Object> counts() {
        return describe(impact);
    }

    public static Map<String, Object> describe(SsoBreakGlass.Impact impact) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("domains", impact.domains());
        properties.put("losingPasswordSignIn", impact.losingPasswordSignIn());
        properties.put("adminsKeepingBreakGlass", impact.adminsKeepingBreakGlass());
        properties.put("adminsWithoutSecondFactor", impact.adminsWithoutSecondFactor());
        properties.put("adminsSigningInAfterwards", impact.adminsSigningInAfterwards());
        properties.put("adminBreakGlass", impact.breakGlass());
        return properties;
    }
}
