package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.roster.test.MutableClock;

/**
 * The limit itself, without HTTP: a lookup started inside another holds the outer one's place, on one thread. What
 * the Okta and Graph clients do with it: {@code OneLimitPerOrganizationOverItsConnectionsTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LookupsPerOrganizationTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private final LookupsPerOrganization limits = new LookupsPerOrganization(2, meters, clock);
    private final LookupsPerOrganization.ForApi okta = limits.forApi("okta");
    private final LookupsPerOrganization.ForApi graph = limits.forApi("graph");

    @Test
    void anOrganizationHasAnEntryOnlyWhileItHasLookupsRunning() {
        UUID organization = UUID.randomUUID();
        assertThat(okta.run(organization, () -> graph.run(organization, () -> limits.running(organization))))
                .isEqualTo(2);
        assertThat(limits.organizationsRunning()).isZero();

        // However the lookup ends.
        assertThat(catchThrowable(() -> okta.run(organization, () -> {
            throw new IllegalStateException("the API failed");
        }))).hasMessage("the API failed");
        assertThat(limits.organizationsRunning()).isZero();

        // Many organizations, one after another: none stays.
        for (int i = 0; i < 1000; i++) {
            okta.run(UUID.randomUUID(), () -> null);
        }
        assertThat(limits.organizationsRunning()).isZero();
    }

    @Test
    void pastTheLimitALookupIsNotRunAndIsCountedByApi() {
        UUID organization = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        boolean[] ran = {false};
        okta.run(organization, () -> graph.run(organization, () -> {
            assertThat(catchThrowable(() -> okta.run(organization, () -> ran[0] = true)))
                    .isInstanceOf(LookupRefused.class);
            assertThat(catchThrowable(() -> graph.run(organization, () -> ran[0] = true)))
                    .isInstanceOf(LookupRefused.class);
            assertThat(catchThrowable(() -> graph.run(organization, () -> ran[0] = true)))
                    .isInstanceOf(LookupRefused.class);
            // Another organization's lookups run.
            assertThat(okta.run(other, () -> okta.run(other, () -> "answered"))).isEqualTo("answered");
            return null;
        }));
        assertThat(ran[0]).isFalse();
        assertThat(meters.get(LookupsPerOrganization.REFUSED).tag("api", "okta").counter().count()).isEqualTo(1);
        assertThat(meters.get(LookupsPerOrganization.REFUSED).tag("api", "graph").counter().count()).isEqualTo(2);
        assertThat(okta.run(organization, () -> "answered")).isEqualTo("answered");
    }

    @Test
    void anOrganizationIsNamedInTheLogAtMostOnceAMinute(CapturedOutput output) {
        UUID organization = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        try {
            okta.run(organization, () -> okta.run(organization, () -> {
                refuse(organization, 100);
                assertThat(warnings(output, organization)).isEqualTo(1);
                clock.advance(Duration.ofSeconds(59));
                refuse(organization, 10);
                assertThat(warnings(output, organization)).isEqualTo(1);
                clock.advance(Duration.ofSeconds(1));
                refuse(organization, 10);
                assertThat(warnings(output, organization)).isEqualTo(2);
                return null;
            }));
            // Another organization's refusal is its own line, whatever the first one's.
            okta.run(other, () -> okta.run(other, () -> {
                refuse(other, 3);
                return null;
            }));
            assertThat(warnings(output, other)).isEqualTo(1);
            assertThat(output.getOut()).contains("has 2 IdP API lookups running on this instance");
        }
        finally {
            clock.reset();
        }
    }

    @Test
    void aLimitBelowOneIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new LookupsPerOrganization(0, meters, clock))
                .hasMessageContaining("roster.sso.group-lookup.max-concurrent-per-organization must be at least 1");
    }

    private void refuse(UUID organization, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(catchThrowable(() -> okta.run(organization, () -> null))).isInstanceOf(LookupRefused.class);
        }
    }

    private static int warnings(CapturedOutput output, UUID organization) {
        Matcher lines = Pattern.compile("Organization " + organization + " has").matcher(output.getOut());
        int count = 0;
        while (lines.find()) {
            count++;
        }
        return count;
    }
}
