package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.LockRace;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The last-admin rule holds when a SAML sign-in withdraws SSO's admin grant at the same moment as another withdrawal:
 * the sign-in locks the member's row once, as it decides, and changes the member on that locked row
 * ({@code membership.LockedMembership}), so the count of the organization's admins is still taken under their locks.
 * Whichever way the two meet (one waits for the other, or PostgreSQL ends one of two that wait for each other), the
 * organization keeps exactly one admin.
 */
@RosterIntegrationTest
class SsoAdminWithdrawalsRaceTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    DataSource dataSource;

    /**
     * The lock order itself, made to meet for certain: another transaction holds the lowest admin's row (as a demotion
     * does, locking the admins in id order) while an admin SSO made one signs in without the admin group; once the
     * sign-in waits for it, that transaction locks the member's row, as the demotion would next. Had the sign-in
     * locked the member's row first and the admins after it, the two would now wait for each other and PostgreSQL
     * would end one of them; as it locks the admins first, it waits, then goes through.
     */
    @Test
    void aSignInWithdrawingTheAdminFlagLocksTheAdminsBeforeTheMember() throws Exception {
        LockRace.assumePostgres();
        SsoFixture sso = adminGroup();
        assertThat(signIn(sso, sso.email("grace"), "Everyone", "Roster Admins").status()).isEqualTo(302);
        assertThat(signIn(sso, sso.email("ada"), "Everyone", "Roster Admins").status()).isEqualTo(302);
        // In PostgreSQL's order of ids (their bytes, unsigned: the order of their text, not UUID.compareTo's).
        Comparator<Member> byId = Comparator.comparing(m -> m.id().toString());
        List<Member> admins = activeAdmins(sso).stream().sorted(byId).toList();
        assertThat(admins).hasSize(3);
        // The SSO admin with the higher id signs in: some admin's id is lower than theirs.
        Member leaving = admins.stream().filter(m -> !m.id().equals(sso.org.adminMembership().id())).max(byId)
                .orElseThrow();
        Member lowest = admins.get(0);
        assertThat(byId.compare(lowest, leaving)).isNegative();
        Supplier<SamlBrowser.Page> signIn = prepared(sso, leaving.email(), "Everyone");

        CompletableFuture<SamlBrowser.Page> page;
        try (Connection demotion = dataSource.getConnection()) {
            demotion.setAutoCommit(false);
            LockRace.lock(demotion, "SELECT id FROM membership WHERE id = ? FOR UPDATE", lowest.id());
            long xid = LockRace.currentTransaction(demotion);
            page = CompletableFuture.supplyAsync(signIn);
            LockRace.awaitWaiterOn(dataSource, xid, "the sign-in");
            // What the demotion locks next: the sign-in must not be holding it.
            LockRace.lock(demotion, "SELECT id FROM membership WHERE id = ? FOR UPDATE", leaving.id());
            demotion.rollback();
        }
        SamlBrowser.Page answered = page.get();
        assertThat(signedIn(answered)).as(answered.status() + " " + answered.location()).isTrue();
        assertThat(activeAdmins(sso)).extracting(Member::id).doesNotContain(leaving.id()).hasSize(2);
    }

    @Test
    void twoAdminsLeavingTheIdpsAdminGroupAtOnceLeaveOneAdmin() throws Exception {
        SsoFixture sso = adminGroup();
        String grace = sso.email("grace");
        String ada = sso.email("ada");
        assertThat(signIn(sso, grace, "Everyone", "Roster Admins").status()).isEqualTo(302);
        assertThat(signIn(sso, ada, "Everyone", "Roster Admins").status()).isEqualTo(302);
        // Only SSO makes anyone an admin now.
        memberships.setAdmin(sso.org.id(), sso.org.adminMembership().id(), false, Actor.system("test setup"));
        assertThat(activeAdmins(sso)).hasSize(2);

        List<SamlBrowser.Page> pages = race(prepared(sso, grace, "Everyone"), prepared(sso, ada, "Everyone"));
        pages.forEach(page -> System.out.println("Two withdrawals at once, a sign-in answered " + page.status() + " "
                + page.location()));

        assertThat(activeAdmins(sso)).as("one admin stays").hasSize(1);
        assertThat(pages).as("at least one sign-in went through").anyMatch(SsoAdminWithdrawalsRaceTest::signedIn);
        // A sign-in that lost a deadlock is only that: the next one goes through, and the last admin stays one.
        for (String email : List.of(grace, ada)) {
            assertThat(signedIn(signIn(sso, email, "Everyone"))).isTrue();
        }
        assertThat(activeAdmins(sso)).hasSize(1);
    }

    @Test
    void anAdminsDemotionAndASignInLeavingTheAdminGroupAtOnceLeaveOneAdmin() throws Exception {
        SsoFixture sso = adminGroup();
        String grace = sso.email("grace");
        assertThat(signIn(sso, grace, "Everyone", "Roster Admins").status()).isEqualTo(302);
        UUID original = sso.org.adminMembership().id();
        assertThat(activeAdmins(sso)).hasSize(2);

        Supplier<SamlBrowser.Page> signIn = prepared(sso, grace, "Everyone");
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<SamlBrowser.Page> leaving = CompletableFuture.supplyAsync(() -> {
            await(start);
            return signIn.get();
        });
        CompletableFuture<TestApi.Response> demotion = CompletableFuture.supplyAsync(() -> {
            await(start);
            return api.patch(sso.org.admin().token(), sso.org.api("/members/" + original), Map.of("admin", false));
        });
        SamlBrowser.Page page = leaving.get();
        TestApi.Response demoted = demotion.get();
        System.out.println("A demotion and a withdrawal at once: the sign-in answered " + page.status() + " "
                + page.location() + ", the demotion " + demoted.status());

        assertThat(activeAdmins(sso)).as("one admin stays").hasSize(1);
        assertThat(signedIn(page) || demoted.status() == 200).as("at least one of the two went through").isTrue();
        assertThat(demoted.status()).as(demoted.body()).isIn(200, 409, 500);
    }

    /** An organization whose IdP group "Roster Admins" makes admins. */
    private SsoFixture adminGroup() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("group", "Everyone");
        sso.map("Roster Admins", null, true);
        return sso;
    }

    private List<SamlBrowser.Page> race(Supplier<SamlBrowser.Page> first, Supplier<SamlBrowser.Page> second)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<SamlBrowser.Page> one = CompletableFuture.supplyAsync(() -> {
            await(start);
            return first.get();
        });
        CompletableFuture<SamlBrowser.Page> other = CompletableFuture.supplyAsync(() -> {
            await(start);
            return second.get();
        });
        return List.of(one.get(), other.get());
    }

    /** A sign-in started (its AuthnRequest made, the response signed) and ready to post to the ACS. */
    private Supplier<SamlBrowser.Page> prepared(SsoFixture sso, String email, String... groups) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SsoFixture.Started started = sso.start(browser, null);
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "First", "Last", groups);
        spec.inResponseTo = started.request().getID();
        String response = sso.idp.response(spec);
        return () -> sso.post(browser, response, started.relayState());
    }

    private SamlBrowser.Page signIn(SsoFixture sso, String email, String... groups) {
        return prepared(sso, email, groups).get();
    }

    private static boolean signedIn(SamlBrowser.Page page) {
        return page.status() == 302 && page.location() != null && page.location().endsWith("/");
    }

    private List<Member> activeAdmins(SsoFixture sso) {
        return members.list(sso.org.id(), new MemberReads.MemberFilter(null, MembershipStatus.ACTIVE, true, null),
                PageQuery.of(0, 10)).items();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
