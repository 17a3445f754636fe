package dev.roster.scim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import dev.roster.shared.database.DatabaseSettings;

/** The database being away is 503 with Retry-After in the SCIM error schema, never a 500. */
class ScimExceptionHandlerTest {

    private final ScimExceptionHandler handler = new ScimExceptionHandler(DatabaseSettings.defaults());

    @Test
    void databaseOutagesAre503WithRetryAfter() {
        PSQLException lostAtCommit = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE);
        for (Exception outage : new Exception[] {new CannotGetJdbcConnectionException("no connection"),
                new CannotCreateTransactionException("pool exhausted"), new QueryTimeoutException("timeout"),
                new TransactionSystemException("Could not commit JDBC transaction", lostAtCommit)}) {
            var response = handler.database(outage);
            assertThat(response.getStatusCode().value()).as(outage.toString()).isEqualTo(503);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(response.getHeaders().getContentType().toString()).startsWith("application/scim+json");
            String body = new String(response.getBody(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"status\":\"503\"").contains("urn:ietf:params:scim:api:messages:2.0:Error");
        }
    }

    @Test
    void aDatabaseFailureThatIsNoOutageIsRostersOwnFault() {
        var response = handler.database(new BadSqlGrammarException("select", "SELECT nonsense",
                new java.sql.SQLException("syntax error", "42601")));
        assertThat(response.getStatusCode().value()).isEqualTo(500);
    }
}
