package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.OutboundAddresses;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestEnvironment;

/**
 * An Okta org URL passes the address guard when an admin saves it, but the Okta API is called long after, with the
 * organization's API token. If the host's DNS answer has changed to an internal address since (here: the host is
 * {@code localhost}, no longer allowed), the client must not connect: its resolver asks the guard again.
 */
@RosterIntegrationTest
class OktaApiAddressGuardTest {

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    @Test
    void anOrgUrlThatNowResolvesToAnInternalAddressGetsNoRequestAndNoToken() {
        SsoConnection connection = bench.oktaApi().connection(bench.directUrl());
        EmailAddress person = FakeOkta.person();

        OktaGroupsClient guarded = bench.okta(new OutboundAddresses(List.of()));
        Throwable refused = catchThrowable(() -> guarded.groupNames(connection, person));
        assertThat(refused).isNotNull();
        assertThat(wireMock.findAll(anyRequestedFor(urlPathEqualTo(FakeOkta.userPath(person))))).isEmpty();

        // The same client with the host allowed by the operator does reach it: the guard is what stopped the first.
        OktaGroupsClient allowed = bench.okta(new OutboundAddresses(List.of("localhost")));
        catchThrowable(() -> allowed.groupNames(connection, person));
        assertThat(wireMock.findAll(anyRequestedFor(urlPathEqualTo(FakeOkta.userPath(person))))).hasSize(1);
    }
}
