package dev.roster.scim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** The database being away is 503 with Retry-After in the SCIM error schema, never a 500. */
class ScimExceptionHandlerTest {

    private final ScimExceptionHandler handler = new ScimExceptionHandler();

    @Test
    void databaseOutagesAre503WithRetryAfter() {
        for (Exception outage : new Exception[] {new CannotGetJdbcConnectionException("no connection"),
                new CannotCreateTransactionException("pool exhausted"), new QueryTimeoutException("timeout")}) {
            var response = handler.unavailable(outage);
            assertThat(response.getStatusCode().value()).isEqualTo(503);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(response.getHeaders().getContentType().toString()).startsWith("application/scim+json");
            String body = new String(response.getBody(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"status\":\"503\"").contains("urn:ietf:params:scim:api:messages:2.0:Error");
        }
    }
}
