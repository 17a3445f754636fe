package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Services hold rules, repositories hold SQL (decisions/0001, issue 16): a class that talks to the database through
 * {@code JdbcClient}, {@code JdbcTemplate} or a {@code DeferredWrite} (decisions/0022) is a {@code …Repository}, or one of the classes below, each a repository
 * in all but name that the ADR lists with its reason. A service that grows SQL of its own fails here; move the SQL to
 * its aggregate's repository, or, if the class really is a store with one job, add it here and to the ADR.
 */
class SqlLivesInRepositoriesTest {

    private static final Path MAIN = Path.of("src/main/java/dev/roster");

    /** The named exceptions of decisions/0001, as paths under dev/roster. */
    static final Set<String> NOT_CALLED_REPOSITORY = Set.of(
            // read side
            "membership/MemberReads.java",
            "scim/provisioning/DirectoryGroups.java",
            "scim/provisioning/ListStatements.java",
            // logs written alongside a change or behind it
            "audit/AuditLog.java",
            "scim/requestlog/RequestLogService.java",
            // outboxes and their metrics
            "mail/MailOutbox.java",
            "mail/MailDispatcher.java",
            "mail/MailDelivery.java",
            "mail/MailOutboxMetrics.java",
            "webhook/WebhookBacklogMetrics.java",
            // the event stream
            "events/Events.java",
            "events/EventSequencer.java",
            "events/EventStore.java",
            "events/EventRetention.java",
            // short-lived stores, counters and marks
            "sso/saml/DatabaseAuthnRequests.java",
            "sso/saml/AssertionReplayCache.java",
            "sso/saml/PendingLogoutRequests.java",
            "sso/access/SsoLinkRequests.java",
            "security/SignInThrottle.java",
            "home/OnboardingProgress.java",
            // infrastructure
            "shared/SecretCipher.java",
            "shared/database/TableStatistics.java",
            "shared/database/DeferredWrites.java",
            "organization/OrganizationPurge.java");

    @Test
    void onlyRepositoriesAndTheNamedStoresHoldSql() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = MAIN.relativize(file).toString().replace('\\', '/');
                String source = Files.readString(file);
                if (!relative.endsWith("Repository.java")
                        && (source.contains("JdbcClient") || source.contains("JdbcTemplate")
                            || source.contains("DeferredWrite.of(") || source.contains("DeferredWrite.append("))) {
                    found.add(relative);
                }
            }
        }
        assertThat(found).as("classes with SQL that are neither a repository nor a named store of decisions/0001")
                .isSubsetOf(NOT_CALLED_REPOSITORY);
        assertThat(NOT_CALLED_REPOSITORY).as("named stores that no longer hold SQL: remove them here and in the ADR")
                .isSubsetOf(found);
    }
}
