package dev.roster.sso.saml;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.saml2.provider.service.authentication.AbstractSaml2AuthenticationRequest;
import org.springframework.security.saml2.provider.service.authentication.Saml2PostAuthenticationRequest;
import org.springframework.security.saml2.provider.service.authentication.Saml2RedirectAuthenticationRequest;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;
import org.springframework.security.saml2.provider.service.registration.Saml2MessageBinding;
import org.springframework.security.saml2.provider.service.web.Saml2AuthenticationRequestRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.shared.Ids;
import dev.roster.shared.SecretToken;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoTestLogins;

/**
 * AuthnRequests in flight, kept in the database and found again by the RelayState the IdP sends back. Not in the web
 * session: the IdP's cross-site POST to the ACS does not carry a SameSite=Lax cookie, and another instance may get
 * it. A request is used once (removed when its response arrives), expires after ten minutes, is found only through
 * the ACS of its own connection, and only from the browser that started it ({@link BrowserBinding}): a response
 * posted from another browser finds nothing, and {@link #OTHER_BROWSER} says why.
 * <p>
 * Where the person goes after signing in ({@code returnTo}, local paths only) and an invitation being accepted travel
 * with the request; {@link #removeAuthenticationRequest} leaves them on the HTTP request for the sign-in step.
 */
@Component
public class DatabaseAuthnRequests implements Saml2AuthenticationRequestRepository<AbstractSaml2AuthenticationRequest> {

    static final String PENDING = DatabaseAuthnRequests.class.getName() + ".pending";
    /** Set on the HTTP request when its RelayState names a pending request that another browser started. */
    static final String OTHER_BROWSER = DatabaseAuthnRequests.class.getName() + ".otherBrowser";
    // Spring Security loads the request and then removes it while handling one response: one read serves both.
    private static final String FOUND = DatabaseAuthnRequests.class.getName() + ".found";
    static final String RETURN_TO = "returnTo";
    public static final String INVITATION = "invitation";
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Pattern RELAY_STATE = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    /** Stands for a malformed test id: no test has it, so the answer is refused as an unknown test. */
    private static final UUID UNKNOWN_TEST = new UUID(0, 0);

    /** What the sign-in step needs of the request the response answers. */
    record Pending(UUID connectionId, String requestId, String returnTo, String invitationTokenHash, UUID testLogin) {
    }

    private final JdbcClient jdbc;
    private final DatabaseRelyingPartyRegistrations registrations;
    private final TransactionTemplate transactions;
    private final BrowserBinding bindings;
    private final Clock clock;

    DatabaseAuthnRequests(JdbcClient jdbc, DatabaseRelyingPartyRegistrations registrations,
                          TransactionTemplate transactions, BrowserBinding bindings, Clock clock) {
        this.jdbc = jdbc;
        this.registrations = registrations;
        this.transactions = transactions;
        this.bindings = bindings;
        this.clock = clock;
    }

    @Override
    public void saveAuthenticationRequest(AbstractSaml2AuthenticationRequest authnRequest, HttpServletRequest request,
                                          HttpServletResponse response) {
        if (authnRequest == null) {
            return;
        }
        SsoConnection connection = registrations.connection(authnRequest.getRelyingPartyRegistrationId())
                .orElseThrow(() -> new IllegalStateException("no connection for the request"));
        String sigAlg = authnRequest instanceof Saml2RedirectAuthenticationRequest r ? r.getSigAlg() : null;
        String signature = authnRequest instanceof Saml2RedirectAuthenticationRequest r ? r.getSignature() : null;
        Instant now = clock.instant();
        // Like the invitation table, only the SHA-256 of the link's token is kept; any other value matches nothing.
        String invitation = request.getParameter(INVITATION);
        String invitationHash = invitation == null || invitation.isBlank() ? null
                : SecretToken.sha256Hex(invitation.trim());
        // A test login is checked against its stored test when the answer arrives; any other value is refused then.
        String test = request.getParameter(SsoTestLogins.PARAMETER);
        UUID testLogin = test == null ? null : Ids.parse(test).orElse(UNKNOWN_TEST);
        String browserBinding = bindings.bind(request, response, LIFETIME);
        jdbc.sql("""
                INSERT INTO sso_authn_request (relay_state, organization_id, connection_id, request_id, binding,
                    saml_request, request_uri, sig_alg, signature, return_to, invitation_token_hash, test_login,
                    browser_binding, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(authnRequest.getRelayState(), connection.organizationId(), connection.id(),
                        authnRequest.getId(), authnRequest.getBinding().name(), authnRequest.getSamlRequest(),
                        authnRequest.getAuthenticationRequestUri(), sigAlg, signature,
                        LocalPaths.safe(request.getParameter(RETURN_TO)).orElse(null),
                        invitationHash, testLogin, browserBinding, Timestamp.from(now),
                        Timestamp.from(now.plus(LIFETIME)))
                .update();
    }

    @Override
    public AbstractSaml2AuthenticationRequest loadAuthenticationRequest(HttpServletRequest request) {
        return find(request).map(row -> row.request).orElse(null);
    }

    @Override
    public AbstractSaml2AuthenticationRequest removeAuthenticationRequest(HttpServletRequest request,
                                                                          HttpServletResponse response) {
        Optional<Row> row = find(request);
        if (row.isEmpty()) {
            return null;
        }
        request.removeAttribute(FOUND);
        // Deleted in its own transaction: whoever deletes the row is the one response that may use it.
        Integer deleted = transactions.execute(status -> jdbc.sql("DELETE FROM sso_authn_request WHERE relay_state = ?")
                .param(row.get().request.getRelayState()).update());
        if (deleted == null || deleted == 0) {
            return null;
        }
        request.setAttribute(PENDING, row.get().pending);
        return row.get().request;
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    void purgeExpired() {
        jdbc.sql("DELETE FROM sso_authn_request WHERE expires_at < ?").param(Timestamp.from(clock.instant())).update();
    }

    private record Row(AbstractSaml2AuthenticationRequest request, Pending pending, String browserBinding) {
    }

    @SuppressWarnings("unchecked")
    private Optional<Row> find(HttpServletRequest request) {
        if (request.getAttribute(FOUND) instanceof Optional<?> found) {
            return (Optional<Row>) found;
        }
        Optional<Row> row = read(request);
        request.setAttribute(FOUND, row);
        return row;
    }

    private Optional<Row> read(HttpServletRequest request) {
        String relayState = request.getParameter("RelayState");
        Optional<UUID> connectionId = connectionInPath(request);
        // Roster's RelayStates are UUIDs; anything else (a NUL byte, say) names no request and never reaches SQL.
        if (relayState == null || !RELAY_STATE.matcher(relayState).matches() || connectionId.isEmpty()) {
            return Optional.empty();
        }
        RelyingPartyRegistration registration = registrations.findByRegistrationId(connectionId.get().toString());
        if (registration == null) {
            return Optional.empty();
        }
        Optional<Row> row = jdbc.sql("""
                SELECT * FROM sso_authn_request WHERE relay_state = ? AND connection_id = ? AND expires_at > ?""")
                .params(relayState, connectionId.get(), Timestamp.from(clock.instant()))
                .query((rs, n) -> {
                    AbstractSaml2AuthenticationRequest authn;
                    if (Saml2MessageBinding.REDIRECT.name().equals(rs.getString("binding"))) {
                        authn = Saml2RedirectAuthenticationRequest.withRelyingPartyRegistration(registration)
                                .samlRequest(rs.getString("saml_request")).relayState(relayState)
                                .authenticationRequestUri(rs.getString("request_uri")).id(rs.getString("request_id"))
                                .sigAlg(rs.getString("sig_alg")).signature(rs.getString("signature")).build();
                    }
                    else {
                        authn = Saml2PostAuthenticationRequest.withRelyingPartyRegistration(registration)
                                .samlRequest(rs.getString("saml_request")).relayState(relayState)
                                .authenticationRequestUri(rs.getString("request_uri")).id(rs.getString("request_id"))
                                .build();
                    }
                    return new Row(authn, new Pending(connectionId.get(), rs.getString("request_id"),
                            rs.getString("return_to"), rs.getString("invitation_token_hash"),
                            rs.getObject("test_login", UUID.class)), rs.getString("browser_binding"));
                })
                .optional();
        if (row.isPresent() && !bindings.matches(request, row.get().browserBinding())) {
            // Someone else's sign-in: for this browser there is no pending request (and the other browser keeps it).
            request.setAttribute(OTHER_BROWSER, Boolean.TRUE);
            return Optional.empty();
        }
        return row;
    }

    /** Whether the response at hand named a sign-in that another browser started. */
    static boolean answersAnotherBrowser(HttpServletRequest request) {
        return request != null && Boolean.TRUE.equals(request.getAttribute(OTHER_BROWSER));
    }

    static Optional<UUID> connectionInPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(SpUrls.ACS_PATH)) {
            return Optional.empty();
        }
        return Ids.parse(path.substring(SpUrls.ACS_PATH.length()));
    }
}
