package dev.roster.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A Roster whose public URL ({@code roster.base-url}) is HTTPS, as in production behind a TLS proxy, with the demo
 * profile (its mock IdP) on a database of its own. The server itself still listens on plain HTTP at localhost, which
 * browsers treat as a secure context. Every class carrying only this annotation shares the one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"roster.base-url=" + HttpsRosterIntegrationTest.BASE_URL,
                // A second context beside the shared one: a small pool, so parallel builds stay within PostgreSQL's
                // connection limit.
                "spring.datasource.hikari.maximum-pool-size=4"})
@ActiveProfiles({"test", "demo"})
@ContextConfiguration(initializers = TestEnvironment.OwnDatabase.class)
@Import(TestConfiguration.class)
public @interface HttpsRosterIntegrationTest {

    String BASE_URL = "https://roster.test";
}
