package dev.roster.sso.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.shared.Actor;
import dev.roster.sso.connection.EnforcementRefused;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * An admin's verification of a claimed domain, which asks first when it takes password sign-in from people. While one
 * of the organization's enabled connections enforces single sign-on, verifying a domain puts every Roster account
 * with an address there under that enforcement from its next sign-in on, exactly as enforcing does for the domains
 * verified already; so it needs the same consent: the number of accounts that would lose their password, accepted
 * ({@code acceptPasswordSignInLoss}) by the page's confirmation or the API client.
 */
@Service
public class DomainVerification {

    private final SsoDomainService domains;
    private final SsoBreakGlass breakGlass;
    private final SsoConnectionRepository connections;

    DomainVerification(SsoDomainService domains, SsoBreakGlass breakGlass, SsoConnectionRepository connections) {
        this.domains = domains;
        this.breakGlass = breakGlass;
        this.connections = connections;
    }

    /**
     * Looks the domain's TXT record up and, once it is found, verifies the domain, unless single sign-on is enforced
     * and either no admin could sign in afterwards ({@link EnforcementRefused}, whatever the consent, as for
     * enforcing) or {@code acceptPasswordSignInLoss} is less than the number of people that takes password sign-in
     * from: then nothing is written and {@link VerificationNeedsConfirmation} says how many.
     */
    @Transactional
    public VerifiedDomain verify(UUID organizationId, UUID domainId, Long acceptPasswordSignInLoss, Actor actor) {
        return domains.verify(organizationId, domainId, actor, proven -> {
            Optional<SsoConnection> enforcing = enforcing(organizationId);
            if (enforcing.isEmpty()) {
                return;
            }
            // As when enforcing: the admins must still be able to sign in with this domain among the enforced ones.
            List<String> enforcedAfterwards = new ArrayList<>(domains.verifiedDomains(organizationId));
            enforcedAfterwards.add(proven.domain());
            SsoBreakGlass.Impact whole = breakGlass.impact(organizationId, enforcedAfterwards);
            if (whole.adminsSigningInAfterwards() == 0) {
                throw new EnforcementRefused(whole);
            }
            SsoBreakGlass.Impact impact = breakGlass.impact(organizationId, List.of(proven.domain()));
            long losing = impact.losingPasswordSignIn();
            if (losing > 0 && (acceptPasswordSignInLoss == null || acceptPasswordSignInLoss < losing)) {
                throw new VerificationNeedsConfirmation(proven.domain(), enforcing.get(), impact);
            }
        });
    }

    /** The enabled connection that enforces single sign-on for the organization's verified domains, if any. */
    private Optional<SsoConnection> enforcing(UUID organizationId) {
        return connections.listLive(organizationId).stream().filter(c -> c.enabled() && c.enforceSso()).findFirst();
    }
}
