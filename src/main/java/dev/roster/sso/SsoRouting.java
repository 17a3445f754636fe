package dev.roster.sso;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.saml.DatabaseAuthnRequests;
import dev.roster.sso.saml.SpUrls;

/**
 * Which identity provider an address signs in through. The public API of single sign-on for other modules:
 * <ul>
 * <li>{@link #connectionEnforcing}: the invitation module asks it when an invitee opens their link; if it answers,
 * the invitee must accept through SSO and is redirected to {@link #invitationLoginUrl}. After the IdP signs them in,
 * SSO checks that the asserted address equals the invitation's and calls {@link SsoInvitationHandler#accept}.</li>
 * <li>{@link #connectionFor}: the SSO sign-in page, from an address.</li>
 * </ul>
 * Only a domain the organization has verified routes anywhere: an unverified claim cannot capture other people's
 * sign-ins.
 */
@Service
@Transactional(readOnly = true)
public class SsoRouting {

    private final SsoDomainService domains;
    private final SsoConnectionRepository connections;

    SsoRouting(SsoDomainService domains, SsoConnectionRepository connections) {
        this.domains = domains;
        this.connections = connections;
    }

    /** The enabled connection that enforces SSO for the address's (verified) domain, if any. */
    public Optional<SsoTarget> connectionEnforcing(EmailAddress email) {
        return connectionFor(email, true);
    }

    /** An enabled connection of the organization that verified the address's domain (enforcing ones first). */
    public Optional<SsoTarget> connectionFor(EmailAddress email) {
        return connectionFor(email, false);
    }

    /** Where to send an invitee so that SSO completes their invitation (a local path). */
    public String invitationLoginUrl(UUID connectionId, String invitationToken) {
        return SpUrls.AUTHENTICATE_PATH + connectionId + "?" + DatabaseAuthnRequests.INVITATION + "="
                + URLEncoder.encode(invitationToken, StandardCharsets.UTF_8);
    }

    private Optional<SsoTarget> connectionFor(EmailAddress email, boolean enforcingOnly) {
        Optional<UUID> owner = domains.verifiedOwner(email.domain());
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        // A soft-deleted organization keeps its verified domains (nobody else may claim them during its retention
        // period) but routes nobody to its connections: its people sign in as if the domain had no SSO.
        return connections.listLive(owner.get()).stream()
                .filter(SsoConnection::enabled)
                .filter(c -> !enforcingOnly || c.enforceSso())
                .sorted((a, b) -> Boolean.compare(b.enforceSso(), a.enforceSso()))
                .findFirst()
                .map(c -> new SsoTarget(c.organizationId(), c.id(), c.name(), SpUrls.AUTHENTICATE_PATH + c.id()));
    }
}
