package dev.roster.sso.saml;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider.ResponseToken;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationToken;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.RosterUser;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.access.SsoGroups;
import dev.roster.sso.access.SsoLinkRequests;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionService;
import dev.roster.sso.connection.SsoTestLogins;
import dev.roster.sso.connection.TestLoginResult;
import dev.roster.sso.idp.LookupRefused;
import dev.roster.sso.web.SsoLinkController;

/**
 * Signs a person in from a SAML response: Spring Security's OpenSAML 4 provider verifies the signatures (against the
 * connection's trusted IdP certificates only, never a key the message brings along) and runs Roster's
 * {@link ResponseChecks} and {@link AssertionChecks}; then the assertion ID is spent in the replay cache, the identity
 * is read, groups are resolved and {@link SsoSignIn} decides. Every refusal is logged with its reason and audited in
 * the connection's organization.
 */
public class SamlSignInProvider implements AuthenticationProvider {

    public static final String SESSION_INFO = SamlSignInProvider.class.getName() + ".session";
    static final int GROUPS_KEPT = 200;
    private static final String REPLAYED = "replayed";
    private static final String OTHER_BROWSER = "other-browser";
    private static final Logger log = LoggerFactory.getLogger(SamlSignInProvider.class);

    /** What single logout needs to name the IdP session; kept in the web session. */
    public record SsoSession(String connectionId, String nameId, String nameIdFormat, String sessionIndex)
            implements java.io.Serializable {
    }

    private final OpenSaml4AuthenticationProvider saml = new OpenSaml4AuthenticationProvider();
    private final EncryptedAssertions encrypted;
    private final DatabaseRelyingPartyRegistrations registrations;
    private final AssertionReplayCache replay;
    private final SsoGroups groups;
    private final SsoSignIn signIn;
    private final SsoLinkRequests links;
    private final SsoTestLogins tests;
    private final AuditLog audit;
    private final SignInRefusals refusals;
    private final RefusalAuditBudget refusalBudget;
    private final SsoProperties properties;
    private final Clock clock;

    SamlSignInProvider(DatabaseRelyingPartyRegistrations registrations, AssertionReplayCache replay, SsoGroups groups,
                       SsoSignIn signIn, SsoLinkRequests links, SsoTestLogins tests,
                       AuditLog audit, RefusalAuditBudget refusalBudget, SsoProperties properties,
                       SignInRefusals refusals, Clock clock) {
        this.refusals = refusals;
        this.links = links;
        this.registrations = registrations;
        this.replay = replay;
        this.groups = groups;
        this.signIn = signIn;
        this.tests = tests;
        this.audit = audit;
        this.refusalBudget = refusalBudget;
        this.properties = properties;
        this.clock = clock;
        this.encrypted = new EncryptedAssertions(registrations);
        saml.setResponseElementsDecrypter(encrypted::decryptResponse);
        saml.setAssertionElementsDecrypter(encrypted::decryptAssertion);
        saml.setResponseValidator(new ResponseChecks(registrations));
        saml.setAssertionValidator(new AssertionChecks(properties.clockSkew()));
        saml.setResponseAuthenticationConverter(this::signIn);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Saml2AuthenticationToken token = (Saml2AuthenticationToken) authentication;
        try {
            return saml.authenticate(encrypted.prepare(token));
        }
        catch (SsoRejection | SsoTestCompleted | SsoLinkPending decided) {
            throw decided;
        }
        catch (Saml2AuthenticationException ex) {
            String registrationId = token.getRelyingPartyRegistration().getRegistrationId();
            String code = ex.getSaml2Error().getErrorCode();
            boolean otherBrowser = DatabaseAuthnRequests.answersAnotherBrowser(currentRequest());
            String description = (otherBrowser ? "the RelayState names a sign-in started in another browser (this "
                    + "browser does not hold its binding cookie); " : "") + ex.getSaml2Error().getDescription()
                    + rootCause(ex);
            Optional<SsoConnection> connection = registrations.connection(registrationId);
            connection.ifPresentOrElse(c -> auditRejection(c, code, description),
                    () -> log.debug("SAML response at unknown connection {} rejected: {}", registrationId, code));
            DatabaseAuthnRequests.Pending pending = pending();
            if (connection.isPresent() && pending != null && pending.testLogin() != null) {
                // A test's refused answer goes to the admin who started it, with the reason a real sign-in would log.
                Optional<String> result = tests.complete(pending.testLogin(), connection.get().id(),
                        TestLoginResult.refused(clock.instant(), ex.getSaml2Error().getErrorCode() + ": "
                                + description));
                if (result.isPresent()) {
                    throw new SsoTestCompleted(result.get());
                }
            }
            if (otherBrowser) {
                throw new SsoRejection(OTHER_BROWSER, "This sign-in was started in another browser.");
            }
            throw ex;
        }
    }

    private void auditRejection(SsoConnection connection, String code, String description) {
        Map<String, Object> details = details(code, description, null);
        if (!withinRefusalBudget(connection, code, details)) {
            log.debug("SAML response at connection {} rejected (not audited, over the budget): {} {}",
                    connection.id(), code, description);
            return;
        }
        log.warn("SAML response at connection {} rejected: {} {}", connection.id(), code, description);
        refusals.record(connection, "sso.login-rejected", details);
    }

    /**
     * Whether a refusal anyone could repeat at will goes into the audit log ({@link RefusalAuditBudget}); if it does,
     * its details say how many like it were left out before it.
     */
    private boolean withinRefusalBudget(SsoConnection connection, String code, Map<String, Object> details) {
        OptionalLong left = refusalBudget.take(connection.id(), code);
        if (left.isEmpty()) {
            return false;
        }
        if (left.getAsLong() > 0) {
            details.put("notAuditedBefore", left.getAsLong());
        }
        return true;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return Saml2AuthenticationToken.class.isAssignableFrom(authentication);
    }

    private AbstractAuthenticationToken signIn(ResponseToken token) {
        SsoConnection connection = registrations.connection(
                token.getToken().getRelyingPartyRegistration().getRegistrationId()).orElseThrow(
                        () -> new SsoRejection("invalid", "The connection no longer exists."));
        Assertion assertion = token.getResponse().getAssertions().get(0);
        if (!replay.firstUse(connection.id(), assertion.getID(), keepUntil(assertion))) {
            throw reject(connection, REPLAYED, "This sign-in response was already used.",
                    "assertion " + assertion.getID() + " was used before", null);
        }
        DatabaseAuthnRequests.Pending pending = pending();
        if (pending != null && pending.testLogin() != null) {
            throw test(connection, assertion, pending.testLogin());
        }
        AssertedIdentity identity;
        try {
            identity = AssertedIdentity.from(assertion, connection.mapping());
        }
        catch (AssertedIdentity.Unidentifiable ex) {
            throw reject(connection, "unidentified", ex.getMessage(), ex.getMessage(), null);
        }
        Optional<Set<String>> memberOf;
        try {
            memberOf = groups.groupsOf(connection, identity);
        }
        catch (LookupRefused ex) {
            // Its organization is at its limit of lookups running, which LookupsPerOrganization warns about once a
            // minute: one warning per refused sign-in would let the organization's IdP fill the log.
            log.debug("SSO connection {}: groups of {} were not looked up in the IdP's API ({}); SSO team grants are "
                    + "left as they are", connection.id(), identity.email().value(), ex.getMessage());
            memberOf = Optional.empty();
        }
        catch (RuntimeException ex) {
            log.warn("SSO connection {}: groups of {} could not be read from the IdP's API ({}); SSO team grants are "
                    + "left as they are", connection.id(), identity.email().value(), ex.toString());
            memberOf = Optional.empty();
        }
        SsoSignIn.Outcome outcome = signIn.signIn(connection, identity, memberOf,
                pending == null ? null : pending.invitationTokenHash());
        if (outcome instanceof SsoSignIn.Denied denied) {
            throw reject(connection, denied.code(), denied.message(), denied.detail(), identity.email().value(),
                    memberOf.orElse(null));
        }
        if (outcome instanceof SsoSignIn.ConfirmLink confirm) {
            throw awaitConfirmation(connection, identity, memberOf, confirm, pending);
        }
        SsoSignIn.Allowed allowed = (SsoSignIn.Allowed) outcome;
        RosterUser user = new RosterUser(allowed.accountId(), allowed.email());
        HttpServletRequest request = currentRequest();
        if (request != null) {
            request.setAttribute(SESSION_INFO, new SsoSession(connection.registrationId(), identity.nameId(),
                    identity.nameIdFormat(), identity.sessionIndex()));
        }
        return (AbstractAuthenticationToken) new org.springframework.security.authentication
                .UsernamePasswordAuthenticationToken(user, null, allowed.authorities());
    }

    /**
     * Keeps the sign-in until the owner of the existing account proves it is theirs and confirms, in this browser
     * (see {@link SsoLinkController}); audited, because the organization's IdP has named an account outside its
     * domains.
     */
    private SsoLinkPending awaitConfirmation(SsoConnection connection, AssertedIdentity identity,
                                             Optional<Set<String>> memberOf, SsoSignIn.ConfirmLink confirm,
                                             DatabaseAuthnRequests.Pending pending) {
        HttpServletRequest request = currentRequest();
        String returnTo = pending != null ? pending.returnTo()
                : request == null ? null : LocalPaths.safe(request.getParameter("RelayState")).orElse(null);
        String secret = links.start(connection, confirm.accountId(), identity, memberOf, returnTo);
        log.info("SSO login at connection {} waits for the owner of {} to confirm the link", connection.id(),
                confirm.email());
        Map<String, Object> details = details("link-confirmation", "an account with this address exists outside "
                + "the organization's verified domains", identity.email().value());
        audit.recordStandalone(connection.organizationId(), SsoSignIn.actor(connection), "sso.link-requested",
                SsoConnectionService.target(connection), details);
        return new SsoLinkPending(secret);
    }

    /**
     * A test login's answer passed every check a sign-in makes: records what it asserted and what a sign-in would
     * do, changing nothing and signing nobody in.
     */
    private Saml2AuthenticationException test(SsoConnection connection, Assertion assertion, UUID testId) {
        if (!tests.awaiting(testId, connection.id())) {
            return reject(connection, "test-unknown", "This test login is unknown or has expired.",
                    "test login " + testId + " is not waiting for an answer", null);
        }
        Instant now = clock.instant();
        String issuer = assertion.getIssuer() == null ? null : assertion.getIssuer().getValue();
        Map<String, List<String>> attributes = AssertedIdentity.allAttributes(assertion);
        TestLoginResult result;
        try {
            AssertedIdentity identity = AssertedIdentity.from(assertion, connection.mapping());
            Optional<Set<String>> memberOf;
            String source;
            try {
                memberOf = groups.groupsOf(connection, identity);
                source = groupsSource(connection, identity, memberOf);
            }
            catch (RuntimeException ex) {
                memberOf = Optional.empty();
                source = "unknown: the identity provider's API could not be read (" + ex.getMessage() + ")";
            }
            SsoSignIn.Evaluation evaluation = signIn.evaluate(connection, identity, memberOf);
            result = new TestLoginResult(now, null, issuer, identity.nameId(), identity.nameIdFormat(),
                    identity.subject(), identity.email().value(), identity.displayName(), attributes,
                    memberOf.map(g -> List.copyOf(new TreeSet<>(g))).orElse(null), source, evaluation.allowed(),
                    evaluation.headline(), evaluation.effects());
        }
        catch (AssertedIdentity.Unidentifiable ex) {
            result = new TestLoginResult(now, null, issuer, null, null, null, null, null, attributes, null, null,
                    false, "Roster would refuse this sign-in.", List.of(ex.getMessage()));
        }
        Optional<String> page = tests.complete(testId, connection.id(), result);
        if (page.isEmpty()) {
            return reject(connection, "test-unknown", "This test login is unknown or has expired.",
                    "test login " + testId + " was answered already", null);
        }
        audit.recordStandalone(connection.organizationId(), SsoSignIn.actor(connection), "sso.test-login",
                SsoConnectionService.target(connection), Map.of("email", result.email() == null ? "" : result.email(),
                        "allowed", result.allowed()));
        return new SsoTestCompleted(page.get());
    }

    private static String groupsSource(SsoConnection connection, AssertedIdentity identity,
                                       Optional<Set<String>> memberOf) {
        if (connection.kind() == ConnectionKind.ENTRA && identity.groupsOverage()) {
            return memberOf.isPresent() ? "Microsoft Graph (too many groups for the SAML token)"
                    : "unknown: too many groups for the SAML token, and Microsoft Graph is not configured";
        }
        if (connection.kind() == ConnectionKind.OKTA && !identity.groupsClaimPresent()
                && connection.oktaApiConfigured()) {
            return "the Okta API (the assertion carried no groups)";
        }
        return identity.groupsClaimPresent() ? "the assertion's " + connection.mapping().groups() + " attribute"
                : "the assertion, which has no " + connection.mapping().groups() + " attribute";
    }

    /** Parser errors (a DOCTYPE, broken XML) hide below Spring's "Failed to deserialize payload". */
    private static String rootCause(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == ex || root.getMessage() == null ? "" : ": " + root.getMessage();
    }

    private SsoRejection reject(SsoConnection connection, String code, String message, String detail, String email) {
        return reject(connection, code, message, detail, email, null);
    }

    /**
     * Audits a refusal. The groups the IdP sent are kept with it (up to {@link #GROUPS_KEPT}), so that an admin about to
     * add an access grant sees whom it would have let in.
     */
    private SsoRejection reject(SsoConnection connection, String code, String message, String detail, String email,
                                Set<String> groups) {
        Map<String, Object> details = details(code, detail, email);
        // A captured response can be posted again and again; the other refusals each need a fresh assertion.
        if (REPLAYED.equals(code) && !withinRefusalBudget(connection, code, details)) {
            log.debug("SSO login at connection {} refused ({}, not audited, over the budget): {}", connection.id(),
                    code, detail);
            return new SsoRejection(code, message);
        }
        log.warn("SSO login at connection {} refused ({}): {}", connection.id(), code, detail);
        if (groups != null) {
            details.put("groups", new TreeSet<>(groups).stream().limit(GROUPS_KEPT).toList());
        }
        refusals.record(connection, "sso.login-denied", details);
        return new SsoRejection(code, message);
    }

    private Instant keepUntil(Assertion assertion) {
        Instant latest = null;
        if (assertion.getConditions() != null && assertion.getConditions().getNotOnOrAfter() != null) {
            latest = assertion.getConditions().getNotOnOrAfter();
        }
        if (assertion.getSubject() != null) {
            for (SubjectConfirmation confirmation : assertion.getSubject().getSubjectConfirmations()) {
                if (confirmation.getSubjectConfirmationData() != null
                        && confirmation.getSubjectConfirmationData().getNotOnOrAfter() != null) {
                    Instant notOnOrAfter = confirmation.getSubjectConfirmationData().getNotOnOrAfter();
                    latest = latest == null || notOnOrAfter.isAfter(latest) ? notOnOrAfter : latest;
                }
            }
        }
        Instant now = clock.instant();
        Instant cap = now.plus(Duration.ofDays(1));
        Instant until = (latest == null ? now.plus(Duration.ofHours(1)) : latest).plus(properties.clockSkew());
        return until.isAfter(cap) ? cap : until;
    }

    private static Map<String, Object> details(String code, String detail, String email) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", code);
        if (detail != null) {
            details.put("detail", detail);
        }
        if (email != null) {
            details.put("email", email);
        }
        return details;
    }

    static DatabaseAuthnRequests.Pending pending() {
        HttpServletRequest request = currentRequest();
        return request == null ? null
                : (DatabaseAuthnRequests.Pending) request.getAttribute(DatabaseAuthnRequests.PENDING);
    }

    private static HttpServletRequest currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
    }
}
