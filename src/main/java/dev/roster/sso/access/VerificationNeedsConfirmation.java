package dev.roster.sso.access;

import java.util.Map;

import dev.roster.shared.ConflictException;
import dev.roster.sso.connection.EnforcementNeedsConfirmation;
import dev.roster.sso.connection.SsoConnection;

/**
 * Verifying the domain would take password sign-in from people, because single sign-on is enforced: the client repeats
 * the request with {@code acceptPasswordSignInLoss} set to the count this answers (409 {@code confirmation-required},
 * as for enforcing single sign-on).
 */
public class VerificationNeedsConfirmation extends ConflictException {

    private final String domain;
    private final String connectionName;
    private final transient SsoBreakGlass.Impact impact;

    VerificationNeedsConfirmation(String domain, SsoConnection enforcing, SsoBreakGlass.Impact impact) {
        super("confirmation-required", impact.losingPasswordSignIn() + (impact.losingPasswordSignIn() == 1
                ? " person" : " people") + " with an address at " + domain + " would no longer sign in with a "
                + "password: " + enforcing.name() + " enforces single sign-on. Repeat the request with "
                + "acceptPasswordSignInLoss: " + impact.losingPasswordSignIn() + " to verify " + domain + ".");
        this.domain = domain;
        this.connectionName = enforcing.name();
        this.impact = impact;
    }

    public String domain() {
        return domain;
    }

    /** The name of the connection that enforces single sign-on. */
    public String connectionName() {
        return connectionName;
    }

    public SsoBreakGlass.Impact impact() {
        return impact;
    }

    /** The counts, as members of the problem document the API answers. */
    public Map<String, Object> counts() {
        return EnforcementNeedsConfirmation.describe(impact);
    }
}
