package dev.roster.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;

/**
 * With {@code ROSTER_LOG_FORMAT=ecs} (or logstash) every log line is a JSON object carrying the id of the request it
 * was written for, the id the caller sent as X-Request-Id or Roster made, so a customer's report (the id in the error
 * body) leads to the log. The lines of a real request are encoded here with Spring Boot's own structured encoder, as
 * the console appender does when the setting is on.
 */
@RosterIntegrationTest
class StructuredLogTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    TestApi api;

    @Test
    void eachFormatsJsonLineCarriesTheRequestIdOfTheErrorBody() throws Exception {
        for (String format : List.of("ecs", "logstash")) {
            String requestId = "report-" + UUID.randomUUID();
            String lines = logOf(format, () -> {
                // A SAML post to an address of no connection: refused with a warning in the log.
                HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                                + "/login/saml2/sso/" + UUID.randomUUID()))
                        .header("X-Request-Id", requestId)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=x")));
                assertThat(response.statusCode()).isEqualTo(404);
                assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
            });
            JsonNode line = lines.lines().map(StructuredLogTest::json)
                    .filter(json -> json.toString().contains(requestId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + format + " line with " + requestId + " in\n" + lines));
            assertThat(line.path("requestId").asText()).as(format + ": " + line).isEqualTo(requestId);
            assertThat(line.toString()).contains("refused");
        }
    }

    @Test
    void errorBodiesCarryTheRequestId() {
        String requestId = "report-" + UUID.randomUUID();
        HttpResponse<String> scim = send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/scim/v2/Users"))
                .header("X-Request-Id", requestId).header("Authorization", "Bearer not-a-token").GET());
        assertThat(scim.statusCode()).isEqualTo(401);
        assertThat(scim.body()).contains(requestId);
        HttpResponse<String> problem = send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me"))
                .header("X-Request-Id", requestId).header("Authorization", "Bearer not-a-token").GET());
        assertThat(problem.statusCode()).isEqualTo(401);
        assertThat(json(problem.body()).path("requestId").asText()).isEqualTo(requestId);
    }

    /** What the root logger writes while {@code action} runs, encoded in the structured format named. */
    private static String logOf(String format, Runnable action) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            action.run();
        }
        finally {
            root.detachAppender(appender);
            appender.stop();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        }
        catch (java.io.IOException ex) {
            throw new AssertionError("not JSON: " + text, ex);
        }
    }
}
