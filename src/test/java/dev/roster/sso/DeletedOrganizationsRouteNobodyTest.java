package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * A soft-deleted organization keeps its verified domains until the purge (nobody else may claim them meanwhile), but
 * routes nobody to its IdP: the SSO sign-in page and invitations treat its people's addresses as if the domain had no
 * SSO. A restore routes them again.
 */
@RosterIntegrationTest
class DeletedOrganizationsRouteNobodyTest {

    private static final String OPERATOR = "test-operator-token-0123456789abcdef-never-in-production";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    SsoRouting routing;

    @Test
    void aDeletedOrganizationsConnectionsAreNotOfferedUntilItIsRestored() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("enforceSso", true));
        EmailAddress person = EmailAddress.parse(sso.email("ann")).orElseThrow();
        assertThat(routing.connectionFor(person)).map(SsoTarget::connectionId).hasValue(
                java.util.UUID.fromString(sso.id()));
        assertThat(routing.connectionEnforcing(person)).isPresent();

        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + sso.org.slug()).status()).isEqualTo(200);
        assertThat(routing.connectionFor(person)).isEmpty();
        assertThat(routing.connectionEnforcing(person)).isEmpty();

        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + sso.org.slug() + "/restore", null).status()).isEqualTo(200);
        assertThat(routing.connectionFor(person)).isPresent();
    }
}
