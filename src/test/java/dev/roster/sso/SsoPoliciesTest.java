package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.membership.LockedMembership;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.security.SignInStages;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;
import dev.roster.sso.access.DomainVerification;
import dev.roster.sso.access.SsoAccessRepository;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.SsoDomains;
import dev.roster.sso.access.SsoLinkRequests;
import dev.roster.sso.access.VerificationNeedsConfirmation;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.connection.SsoMaintenance;
import dev.roster.sso.saml.AssertedIdentity;
import dev.roster.sso.saml.SsoSignIn;

/**
 * The rules around a login: domain verification by DNS, SSO enforcement against password sign-in, the SSO sign-in
 * page, invitations completed through SSO, and organizations whose members a SCIM directory manages. The SCIM and
 * invitation modules are not on this branch: their side is played by small implementations of the interfaces SSO
 * publishes for them ({@link DirectoryManagedOrganizations}, {@link SsoInvitationHandler}).
 */
@RosterIntegrationTest
class SsoPoliciesTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    SsoRouting routing;
    @Autowired
    SsoConnectionRepository connections;
    @Autowired
    SsoAccessRepository access;
    @Autowired
    dev.roster.linking.AccountLinking linking;
    @Autowired
    SsoLinkRequests links;
    @Autowired
    AccountService accounts;
    @Autowired
    MembershipService memberships;
    @Autowired
    SignInStages stages;
    @Autowired
    MemberReads members;
    @Autowired
    TeamService teams;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Clock clock;

    @Test
    void aDomainIsVerifiedByItsTxtRecordAndOnlyOneOrganizationCanHoldIt(@Autowired SsoBreakGlass breakGlass,
            @Autowired SsoConnectionRepository connectionRows) {
        Map<String, List<String>> dns = new java.util.HashMap<>();
        SsoDomainService withDns = SsoDomains.withDns(jdbc, name -> dns.getOrDefault(name, List.of()), audit, clock);
        DomainVerification verification = SsoDomains.verification(withDns, breakGlass, connectionRows);
        TestData.Org org = data.org();
        TestData.Org rival = data.org();
        String domain = TestData.unique("dns") + ".test";
        Actor actor = Actor.system("test");
        VerifiedDomain claimed = transactions.execute(s -> withDns.claim(org.id(), domain, actor));
        VerifiedDomain rivalClaim = transactions.execute(s -> withDns.claim(rival.id(), domain, actor));
        assertThat(claimed.txtName()).isEqualTo("_roster-verification." + domain);

        assertThatThrownBy(() -> transactions.execute(s -> verification.verify(org.id(), claimed.id(), null, actor)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("No TXT record");
        dns.put(claimed.txtName(), List.of("v=spf1 -all", claimed.txtRecord()));
        assertThat(transactions.execute(s -> verification.verify(org.id(), claimed.id(), null, actor)).verified()).isTrue();
        assertThat(domains.verifiedOwner(domain)).contains(org.id());

        dns.put(claimed.txtName(), List.of(claimed.txtRecord(), rivalClaim.txtRecord()));
        assertThatThrownBy(() -> transactions.execute(s -> verification.verify(rival.id(), rivalClaim.id(), null, actor)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("another organization");
    }

    @Test
    void verifyingADomainWhileSsoIsEnforcedTakesPasswordsOnlyWithConsentToTheirNumber(
            @Autowired SsoBreakGlass breakGlass, @Autowired SsoConnectionRepository connectionRows) {
        Map<String, List<String>> dns = new java.util.HashMap<>();
        SsoDomainService withDns = SsoDomains.withDns(jdbc, name -> dns.getOrDefault(name, List.of()), audit, clock);
        DomainVerification verification = SsoDomains.verification(withDns, breakGlass, connectionRows);
        Actor actor = Actor.system("test");
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        String acquired = TestData.unique("acquired") + ".test";
        String email = "pat@" + acquired;
        accounts.create(new EmailAddress(email), "Pat", TestData.PASSWORD, actor);
        VerifiedDomain claimed = transactions.execute(s -> withDns.claim(sso.org.id(), acquired, actor));
        dns.put(claimed.txtName(), List.of(claimed.txtRecord()));

        // Enforced SSO would take Pat's password from the next sign-in on: nothing happens without consent to that.
        for (Long accepted : java.util.Arrays.asList(null, 0L)) {
            assertThatThrownBy(() -> transactions.execute(s -> verification.verify(sso.org.id(), claimed.id(),
                    accepted, actor))).isInstanceOfSatisfying(VerificationNeedsConfirmation.class, ex -> {
                        assertThat(ex.code()).isEqualTo("confirmation-required");
                        assertThat(ex.impact().losingPasswordSignIn()).isEqualTo(1);
                        assertThat(ex.getMessage()).contains("1 person with an address at " + acquired);
                    });
        }
        assertThat(domains.isVerified(sso.org.id(), acquired)).isFalse();
        assertThat(new TestSession(api.baseUrl()).signIn(email, TestData.PASSWORD).location())
                .doesNotContain("/sso/login");

        assertThat(transactions.execute(s -> verification.verify(sso.org.id(), claimed.id(), 1L, actor))
                .verified()).isTrue();
        assertThat(new TestSession(api.baseUrl()).signIn(email, TestData.PASSWORD).location())
                .contains("/sso/login?required");
    }

    @Test
    void withoutEnforcedSsoADomainIsVerifiedWithoutAskingAnyone(@Autowired SsoBreakGlass breakGlass,
                                                               @Autowired SsoConnectionRepository connectionRows) {
        Map<String, List<String>> dns = new java.util.HashMap<>();
        SsoDomainService withDns = SsoDomains.withDns(jdbc, name -> dns.getOrDefault(name, List.of()), audit, clock);
        DomainVerification verification = SsoDomains.verification(withDns, breakGlass, connectionRows);
        Actor actor = Actor.system("test");
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        String acquired = TestData.unique("free") + ".test";
        accounts.create(new EmailAddress("kim@" + acquired), "Kim", TestData.PASSWORD, actor);
        VerifiedDomain claimed = transactions.execute(s -> withDns.claim(sso.org.id(), acquired, actor));
        dns.put(claimed.txtName(), List.of(claimed.txtRecord()));

        assertThat(transactions.execute(s -> verification.verify(sso.org.id(), claimed.id(), null, actor))
                .verified()).isTrue();
        assertThat(new TestSession(api.baseUrl()).signIn("kim@" + acquired, TestData.PASSWORD).location())
                .doesNotContain("/sso");
    }

    @Test
    void anOperatorCanVerifyDomainsAtStartUp(@Autowired SsoMaintenance maintenance) {
        TestData.Org org = data.org();
        String domain = TestData.unique("airgap") + ".test";
        maintenance.applyOperatorDomains(List.of(org.slug() + ":" + domain, "no-such-org:x.test", "garbage"));
        assertThat(domains.isVerified(org.id(), domain)).isTrue();
        assertThat(domains.list(org.id())).singleElement().satisfies(d -> assertThat(d.verifiedBy()).isEqualTo("OPERATOR"));
    }

    @Test
    void passwordSignInIsRefusedForAddressesInADomainThatEnforcesSso() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        TestData.Person person = data.person("enforced");
        String enforcedEmail = sso.email(TestData.unique("pw"));
        accounts.create(new EmailAddress(enforcedEmail), "Pass Word", TestData.PASSWORD, Actor.system("test"));

        TestSession.Page refused = new TestSession(api.baseUrl()).signIn(enforcedEmail, TestData.PASSWORD);
        assertThat(refused.location()).contains("/sso/login?required").contains("email=");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), TestData.PASSWORD).location())
                .doesNotContain("/sso/login");

        TestApi.Response off = api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("enforceSso", false));
        assertThat(off.status()).isEqualTo(200);
        assertThat(new TestSession(api.baseUrl()).signIn(enforcedEmail, TestData.PASSWORD).location())
                .doesNotContain("/sso");
    }

    @Test
    void noPasswordResetLinkIsSentToAnAddressInADomainThatEnforcesSso() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("enforceSso", true));
        String enforcedEmail = sso.email(TestData.unique("reset"));
        accounts.create(new EmailAddress(enforcedEmail), "Re Set", TestData.PASSWORD, Actor.system("test"));
        TestData.Person control = data.person("reset-control");
        TestSession browser = new TestSession(api.baseUrl());

        TestSession.Page asked = browser.submit("/password-reset", "/password-reset", Map.of("email", enforcedEmail));
        browser.submit("/password-reset", "/password-reset", Map.of("email", control.email()));

        assertThat(asked.body()).contains("a link to choose a new one is on its way");
        TestMailbox.await(control.email(), 1);
        assertThat(TestMailbox.receivedBy(List.of(enforcedEmail))).isEmpty();
    }

    @Test
    void theSsoSignInPageFindsTheConnectionFromAVerifiedDomain() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestSession browser = new TestSession(api.baseUrl());
        TestSession.Page found = browser.submit("/sso/login", "/sso/login", Map.of("email", sso.email("someone"),
                "returnTo", "/orgs/" + sso.org.slug()));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains("href=\"/saml2/authenticate/" + sso.id() + "?returnTo=%2Forgs%2F"
                + sso.org.slug() + "\"");
        TestSession.Page unknown = browser.submit("/sso/login", "/sso/login",
                Map.of("email", TestData.uniqueEmail("nobody")));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).contains("No single sign-on is set up for this address");
    }

    @Test
    void anInviteeWhoseDomainEnforcesSsoIsSentToTheIdpAndJoinsOnlyAsTheInvitedAddress() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        teams.create(sso.org.id(), "Welcome", null, Actor.system("test"));
        String invited = sso.email("invitee");
        assertThat(routing.connectionEnforcing(new EmailAddress(invited)))
                .hasValueSatisfying(t -> assertThat(t.connectionId().toString()).isEqualTo(sso.id()));
        assertThat(routing.connectionEnforcing(new EmailAddress(TestData.uniqueEmail("elsewhere")))).isEmpty();

        // The invitation module's side, as SsoInvitationHandler: one pending invitation with a team.
        String token = "inv-" + UUID.randomUUID();
        List<UUID> accepted = new ArrayList<>();
        UUID welcome = teams.findByName(sso.org.id(), "Welcome").orElseThrow().id();
        SsoInvitationHandler handler = new SsoInvitationHandler() {
            @Override
            public Optional<PendingInvitation> pending(String invitationToken) {
                return token.equals(invitationToken)
                        ? Optional.of(new PendingInvitation(sso.org.id(), new EmailAddress(invited.toUpperCase())))
                        : Optional.empty();
            }

            @Override
            public void accept(String invitationToken, UUID accountId, Actor actor) {
                memberships.join(sso.org.id(), accountId, new MembershipService.Join(false,
                        MembershipSource.INVITATION, Set.of(welcome), GrantSource.MANUAL), actor);
                accepted.add(accountId);
            }

            @Override
            public Optional<PendingInvitation> lockPending(String invitationToken) {
                return pending(invitationToken);
            }

            @Override
            public void accept(String invitationToken, LockedMembership locked, Actor actor) {
                memberships.join(locked, accounts.get(locked.accountId()), new MembershipService.Join(false,
                        MembershipSource.INVITATION, Set.of(welcome), GrantSource.MANUAL), actor);
                accepted.add(locked.accountId());
            }
        };
        SsoSignIn signIn = signIn(handler, null);
        SsoConnection connection = connections.findById(UUID.fromString(sso.id())).orElseThrow();

        // The login URL the invitation module redirects to carries the token; the AuthnRequest keeps only its hash.
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SsoFixture.Started started = sso.start(browser, routing.invitationLoginUrl(connection.id(), token)
                .substring(routing.invitationLoginUrl(connection.id(), token).indexOf('?') + 1));
        assertThat(jdbc.sql("SELECT invitation_token_hash FROM sso_authn_request WHERE relay_state = ?")
                .param(started.relayState()).query(String.class).single())
                .isEqualTo(dev.roster.shared.SecretToken.sha256Hex(token));

        SsoSignIn.Outcome wrongPerson = transactions.execute(s -> signIn.signIn(connection,
                identity(sso.email("colleague")), Optional.of(Set.of()), token));
        assertThat(wrongPerson).isInstanceOfSatisfying(SsoSignIn.Denied.class,
                d -> assertThat(d.code()).isEqualTo("invitation-email-mismatch"));
        assertThat(accepted).isEmpty();

        SsoSignIn.Outcome invitee = transactions.execute(s -> signIn.signIn(connection, identity(invited),
                Optional.of(Set.of()), token));
        assertThat(invitee).isInstanceOf(SsoSignIn.Allowed.class);
        UUID accountId = ((SsoSignIn.Allowed) invitee).accountId();
        assertThat(accepted).containsExactly(accountId);
        Membership membership = members.findByAccount(sso.org.id(), accountId).orElseThrow();
        assertThat(membership.source()).isEqualTo(MembershipSource.INVITATION);
        assertThat(members.teams(sso.org.id(), membership.id())).extracting(g -> g.teamName()).containsExactly("Welcome");

        SsoSignIn.Outcome stale = transactions.execute(s -> signIn.signIn(connection, identity(invited),
                Optional.of(Set.of()), "inv-unknown"));
        assertThat(stale).isInstanceOfSatisfying(SsoSignIn.Denied.class,
                d -> assertThat(d.code()).isEqualTo("invitation-invalid"));
    }

    @Test
    void whereAScimDirectoryManagesTheOrganizationSsoOnlySignsKnownMembersIn() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        sso.grant("domain", sso.domain);
        teams.create(sso.org.id(), "Mapped", null, Actor.system("test"));
        String group = UUID.randomUUID().toString();
        sso.map(group, "Mapped", false);
        SsoConnection connection = connections.findById(UUID.fromString(sso.id())).orElseThrow();
        SsoSignIn managed = signIn(null, organizationId -> organizationId.equals(sso.org.id()));

        SsoSignIn.Outcome newcomer = transactions.execute(s -> managed.signIn(connection,
                identity(sso.email("newcomer")), Optional.of(Set.of(group)), null));
        assertThat(newcomer).isInstanceOfSatisfying(SsoSignIn.Denied.class,
                d -> assertThat(d.code()).isEqualTo("not-provisioned"));

        // Provisioned by "SCIM": SSO signs them in and leaves their teams to the directory.
        dev.roster.account.Account known = accounts.create(new EmailAddress(sso.email("known")), "Known",
                null, Actor.system("scim"));
        memberships.join(sso.org.id(), known.id(), MembershipService.Join.of(MembershipSource.SCIM), Actor.system("scim"));
        SsoSignIn.Outcome member = transactions.execute(s -> managed.signIn(connection, identity(known.email()),
                Optional.of(Set.of(group)), null));
        assertThat(member).isInstanceOf(SsoSignIn.Allowed.class);
        assertThat(members.teams(sso.org.id(), members.findByAccount(sso.org.id(), known.id()).orElseThrow().id()))
                .isEmpty();

        // A connection set to PROVISION applies grants and mappings even then.
        api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()), Map.of("scimPolicy", "provision"));
        SsoConnection provisioning = connections.findById(connection.id()).orElseThrow();
        SsoSignIn.Outcome provisioned = transactions.execute(s -> managed.signIn(provisioning,
                identity(sso.email("newcomer")), Optional.of(Set.of(group)), null));
        assertThat(provisioned).isInstanceOf(SsoSignIn.Allowed.class);
    }

    private SsoSignIn signIn(SsoInvitationHandler invitations, DirectoryManagedOrganizations directories) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (invitations != null) {
            beans.addBean("invitations", invitations);
        }
        if (directories != null) {
            beans.addBean("directories", directories);
        }
        return new SsoSignIn(access, linking, links, accounts, memberships, members,
                beans.getBeanProvider(DirectoryManagedOrganizations.class), beans.getBeanProvider(SsoInvitationHandler.class),
                beans.getBeanProvider(DirectoryGroupMappings.class), audit, stages, clock);
    }

    private static AssertedIdentity identity(String email) {
        return new AssertedIdentity(UUID.randomUUID().toString(), email,
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", new EmailAddress(email), "Test Person",
                Set.of(), false, true, "_s1");
    }
}
