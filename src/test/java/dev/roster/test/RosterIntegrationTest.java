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
 * A Roster on a random port, on PostgreSQL (see {@link TestEnvironment}), with a real SMTP server and a clock tests
 * can move. Every test class carrying only this annotation shares one application context, so keep it that way:
 * no extra properties, mocks or {@code @DirtiesContext} on individual classes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestEnvironment.class)
@Import(TestConfiguration.class)
public @interface RosterIntegrationTest {
}
