package dev.roster.sso.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.organization.OrganizationService;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.sso.saml.SpUrls;
import dev.roster.sso.saml.SsoSignIn;

/**
 * Test logins: an admin starts a sign-in through a connection from its page, the identity provider answers as it would
 * at a real sign-in, and Roster checks the answer exactly as then, but instead of signing anyone in it records what was
 * asserted and what it would have done (see {@link SsoSignIn#evaluate}) and shows that to the admin who started the
 * test. A test is found only with its random id, through the connection it was started for, once, within ten
 * minutes.
 */
@Service
public class SsoTestLogins {

    /** The query parameter of {@code /saml2/authenticate/{connection}} that marks a test. */
    public static final String PARAMETER = "test";
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final SsoTestLoginRepository tests;
    private final SsoConnectionService connections;
    private final OrganizationService organizations;
    private final ObjectMapper json;
    private final Clock clock;

    SsoTestLogins(SsoTestLoginRepository tests, SsoConnectionService connections, OrganizationService organizations,
                  ObjectMapper json, Clock clock) {
        this.tests = tests;
        this.connections = connections;
        this.organizations = organizations;
        this.json = json;
        this.clock = clock;
    }

    /** A test as its admin sees it: waiting for the identity provider's answer, or with its result. */
    public record TestLogin(UUID id, UUID connectionId, Instant startedAt, Optional<TestLoginResult> result) {
    }

    /** Starts a test for the admin; answers its id. */
    @Transactional
    public UUID start(UUID organizationId, UUID connectionId, UUID accountId) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        if (!connection.enabled()) {
            throw new ConflictException("connection-disabled", "The connection is disabled: enable it under Settings "
                    + "to test it.");
        }
        UUID id = Ids.newId();
        Instant now = clock.instant();
        tests.insert(id, organizationId, connectionId, accountId, now, now.plus(LIFETIME));
        return id;
    }

    /** The local path that sends the browser to the identity provider for the test. */
    public String loginPath(UUID connectionId, UUID testId) {
        return SpUrls.AUTHENTICATE_PATH + connectionId + "?" + PARAMETER + "=" + testId;
    }

    /** The admin's own test of the connection; nobody else's. */
    @Transactional(readOnly = true)
    public Optional<TestLogin> find(UUID organizationId, UUID connectionId, UUID testId, UUID accountId) {
        return tests.find(organizationId, connectionId, testId, accountId)
                .map(test -> new TestLogin(test.id(), test.connectionId(), test.startedAt(),
                        Optional.ofNullable(test.result()).map(this::read)));
    }

    /** Whether the test was started for this connection and still waits for its answer. */
    @Transactional(readOnly = true)
    public boolean awaiting(UUID testId, UUID connectionId) {
        return tests.awaiting(testId, connectionId, clock.instant());
    }

    /**
     * Stores the result of a test that was waiting; answers the page that shows it, or empty when the test is
     * unknown, expired or answered already.
     */
    @Transactional
    public Optional<String> complete(UUID testId, UUID connectionId, TestLoginResult result) {
        Instant now = clock.instant();
        Optional<UUID> organization = tests.lockAwaiting(testId, connectionId, now);
        if (organization.isEmpty()) {
            return Optional.empty();
        }
        tests.complete(organization.get(), testId, write(result), now);
        return Optional.of("/orgs/" + organizations.get(organization.get()).slug() + "/manage/sso/connections/"
                + connectionId + "/tests/" + testId);
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @Transactional
    void purgeOld() {
        // A result stays readable for a day after its test expired; then it goes.
        tests.deleteExpiredBefore(clock.instant().minus(Duration.ofDays(1)));
    }

    private String write(TestLoginResult result) {
        try {
            return json.writeValueAsString(result);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("a test result is not serializable", ex);
        }
    }

    private TestLoginResult read(String value) {
        try {
            return json.readValue(value, TestLoginResult.class);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("a stored test result is unreadable", ex);
        }
    }
}
