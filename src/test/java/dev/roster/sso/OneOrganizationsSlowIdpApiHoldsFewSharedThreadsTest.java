package dev.roster.sso;

import static dev.roster.sso.idp.IdpApiBench.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.roster.membership.AccessImpact;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.sso.connection.SsoChangePreview;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.idp.FakeOkta;
import dev.roster.sso.idp.IdpApiBench;
import dev.roster.sso.idp.OktaGroupsClient;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SilentServer;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The attack: an organization points its Okta API settings at a server that takes the connection and never answers,
 * and has its IdP post sign-in after sign-in, each of which would hold one of the request threads every organization
 * shares for as long as the lookup waits. Here it holds its limit of lookups (20, the default) through four
 * connections of its own, so that no pool of five connections per Okta client queues any of them: the silent server
 * sees all twenty arrive. Then its own next sign-in does not wait for its API at all (it goes on at once with the
 * person's groups unknown, as when the API fails), while another organization's sign-in reads its groups as usual;
 * and once the slow lookups end, the first organization's lookups run again.
 */
@RosterIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class OneOrganizationsSlowIdpApiHoldsFewSharedThreadsTest {

    /** {@code roster.sso.group-lookup.max-concurrent-per-organization}'s default. */
    private static final int LIMIT = 20;
    /** Okta clients' pool: connections per route (Apache's default), so lookups per connection that reach the API. */
    private static final int POOLED_PER_CONNECTION = 5;
    /** Far under the 10 s an Okta answer may take and the 15 s of a whole lookup: nothing was waited for. */
    private static final Duration PROMPTLY = Duration.ofSeconds(4);

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    @Autowired
    TestApi api;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    OktaGroupsClient okta;
    @Autowired
    SsoConnectionRepository connections;
    @Autowired
    MeterRegistry meters;
    @Autowired
    SsoChangePreview preview;

    private final FakeOkta fakeOkta = bench.oktaApi();

    @Test
    void anOrganizationAtItsLimitWaitsForNothingMoreAndOthersSignInAsUsual(CapturedOutput output) throws Exception {
        Okta attacker = okta("Engineering", "Support");
        String alice = attacker.sso.email(TestData.unique("alice"));
        attacker.answers(alice, attacker.groups.get(0));
        assertThat(attacker.signIn(alice).location()).endsWith("/");
        assertThat(teamNames(attacker.sso, alice)).containsExactly("Engineering");
        // From now on Okta puts her in the other group: a lookup that runs moves her team.
        attacker.answers(alice, attacker.groups.get(1));
        String bob = attacker.sso.email(TestData.unique("bob"));
        attacker.answers(bob, attacker.groups.get(0));
        Okta other = okta("Platform");
        String carol = other.sso.email(TestData.unique("carol"));
        other.answers(carol, other.groups.get(0));
        double refusedBefore = refused();

        ExecutorService threads = Executors.newFixedThreadPool(LIMIT);
        List<Future<Set<String>>> held = new ArrayList<>();
        try (SilentServer silent = new SilentServer()) {
            for (int connection = 0; connection < LIMIT / POOLED_PER_CONNECTION; connection++) {
                SsoConnection slow = attacker.connectionTo("https://localhost:" + silent.port());
                for (int lookup = 0; lookup < POOLED_PER_CONNECTION; lookup++) {
                    EmailAddress person = EmailAddress.parse(attacker.sso.email(TestData.unique("held")))
                            .orElseThrow();
                    held.add(threads.submit(() -> okta.groupNames(slow, person)));
                }
            }
            awaitUntil(Duration.ofSeconds(20), () -> silent.acceptedConnections() == LIMIT,
                    "the organization's " + LIMIT + " lookups wait for its silent API");

            // Its next sign-in does not wait: a returning member keeps her teams, her groups unknown.
            Instant started = Instant.now();
            SamlBrowser.Page returning = attacker.signIn(alice);
            assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
            assertThat(returning.location()).as(returning.location()).endsWith("/");
            assertThat(teamNames(attacker.sso, alice)).containsExactly("Engineering");
            assertThat(attacker.lookupsOf(alice)).as("Okta was not asked about her again").isEqualTo(1);
            // Someone only a group lets in is told why they are not, and that trying again may do.
            started = Instant.now();
            SamlBrowser.Page newcomer = attacker.signIn(bob);
            assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
            assertThat(newcomer.location()).as(newcomer.location()).endsWith("/sso/error?reason=groups-unknown");
            assertThat(attacker.lookupsOf(bob)).isZero();

            // Another organization's sign-in reads its groups as usual, at once.
            started = Instant.now();
            SamlBrowser.Page others = other.signIn(carol);
            assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
            assertThat(others.location()).as(others.location()).endsWith("/");
            assertThat(teamNames(other.sso, carol)).containsExactly("Platform");
            assertThat(refused() - refusedBefore).isEqualTo(2);
            // One warning names the organization, not one per refused sign-in: its IdP cannot fill the log.
            String log = output.getOut();
            assertThat(occurrences(log, "Organization " + attacker.sso.org.id() + " has " + LIMIT
                    + " IdP API lookups running")).as("warnings naming the organization").isEqualTo(1);
            assertThat(occurrences(log, "groups of " + alice) + occurrences(log, "groups of " + bob))
                    .as("warnings naming the people refused").isZero();
            assertThat(held).noneMatch(Future::isDone);
        }
        finally {
            threads.shutdown();
        }

        // The silent server is gone: the held lookups fail, and the organization's lookups run again.
        awaitUntil(Duration.ofSeconds(20), () -> held.stream().allMatch(Future::isDone), "the held lookups end");
        assertThat(attacker.signIn(alice).location()).endsWith("/");
        assertThat(teamNames(attacker.sso, alice)).containsExactly("Support");
        assertThat(refused() - refusedBefore).isEqualTo(2);
        // An admin about to grant the domain sees that it would have let Bob in, as for a refusal for want of a grant.
        AccessImpact domainGrant = preview.addGrant(attacker.sso.org.id(), UUID.fromString(attacker.sso.id()),
                "domain", attacker.sso.domain, Actor.system("test"));
        assertThat(domainGrant.admitted()).extracting(AccessImpact.Person::email).contains(bob);
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** Lookups refused so far, on this context (shared with other test classes). */
    private double refused() {
        Counter counter = meters.find("roster.sso.group_lookups.refused").tag("api", "okta").counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * An organization with an Okta connection whose assertions carry no groups, so that every sign-in reads them
     * through the Okta API (WireMock); one team per group, which the group maps to; only the first group lets people
     * in (no domain grant): a newcomer's way in depends on the lookup.
     */
    private Okta okta(String... teamNames) {
        SsoFixture sso = bench.store("okta", FakeOkta.settings(bench.directUrl()));
        List<String> groups = new ArrayList<>();
        for (String team : teamNames) {
            teams.create(sso.org.id(), team, null, Actor.system("test"));
            String group = TestData.unique(team);
            sso.map(group, team, false);
            groups.add(group);
        }
        sso.grant("group", groups.get(0));
        return new Okta(sso, bench.current(sso), groups);
    }

    private final class Okta {

        final SsoFixture sso;
        /** The connection as stored, its API token encrypted. */
        final SsoConnection connection;
        final List<String> groups;

        Okta(SsoFixture sso, SsoConnection connection, List<String> groups) {
            this.sso = sso;
            this.connection = connection;
            this.groups = groups;
        }

        /** Okta answers for the person at once, in the one group, to the connection's API token. */
        void answers(String email, String group) {
            fakeOkta.knows(connection, address(email), group, 0);
        }

        int lookupsOf(String email) {
            return fakeOkta.lookups(address(email));
        }

        SamlBrowser.Page signIn(String email) {
            return sso.login(new SamlBrowser(api.baseUrl()), TestIdp.okta(sso.spec(), email, "Some", "One"));
        }

        /** Another Okta connection of the organization (another IdP), its API at {@code orgUrl}. */
        SsoConnection connectionTo(String orgUrl) {
            TestIdp idp = new TestIdp(TestData.unique("okta"));
            TestApi.Response created = api.post(sso.org.admin().token(), sso.org.api("/sso-connections"),
                    Map.of("kind", "okta", "metadataXml", idp.metadataXml(),
                            "okta", FakeOkta.settings(orgUrl).get("okta")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            return connections.findById(UUID.fromString(created.json().path("id").asText())).orElseThrow();
        }

        private static EmailAddress address(String email) {
            return EmailAddress.parse(email).orElseThrow();
        }
    }

    private Set<String> teamNames(SsoFixture sso, String email) {
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        return member.teams().stream().map(TeamGrant::teamName).collect(Collectors.toSet());
    }
}
