package dev.roster.sso.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/** Outside the demo profile the mock IdP does not exist: no beans, no pages, no connections it would set up. */
@RosterIntegrationTest
class DemoIdpAbsentTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void theMockIdpHasNoBeansAndNoPagesOutsideTheDemoProfile() {
        assertThat(context.getBeansOfType(DemoIdp.class)).isEmpty();
        assertThat(context.getBeansOfType(DemoIdpController.class)).isEmpty();
        assertThat(context.getBeansOfType(DemoIdpSetup.class)).isEmpty();
        assertThat(context.getBeansOfType(DemoIdpSecurity.class)).isEmpty();

        // Anonymous visitors are sent to sign in like anywhere else; signed-in people find nothing there.
        TestApi.Response anonymous = api.get(null, "/demo-idp/entra/sso?SAMLRequest=x");
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.header("Location")).endsWith("/login");
        TestData.Person person = data.person("demo-probe");
        TestSession session = new TestSession(api.baseUrl());
        session.signIn(person.email(), TestData.PASSWORD);
        assertThat(session.get("/demo-idp").status()).isEqualTo(404);
        assertThat(session.get("/demo-idp/entra/sso?SAMLRequest=x").status()).isEqualTo(404);
    }
}
