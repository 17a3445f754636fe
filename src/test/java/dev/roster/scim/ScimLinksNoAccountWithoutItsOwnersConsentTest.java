package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * Finding 2 of issue 10: a SCIM directory of one organization ("beta") provisioning the address of another
 * organization's person attached their existing account to beta and showed beta the name they chose. The rule: a
 * directory links an existing account only at its own organization's verified domains (or to someone already a
 * member); an address of a domain another organization verified is never provisioned (the user is kept, unlinked,
 * with the reason, and Entra gets its 201); any other existing account waits for its owner to accept. Until then
 * the organization sees nothing of the account. Real SCIM JSON as Entra and Okta send it, over real HTTP.
 */
@RosterIntegrationTest
class ScimLinksNoAccountWithoutItsOwnersConsentTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AccountService accounts;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    /** An organization that verified a domain, with its admin there. */
    private record Owner(TestData.Org org, String domain, Account admin) {
    }

    private Owner owner() {
        TestData.Org org = data.org();
        String domain = verify(org);
        Account admin = accounts.create(new EmailAddress("admin@" + domain), "Private Name Of Acme's Admin",
                TestData.PASSWORD, Actor.system("test"));
        memberships.join(org.id(), admin.id(), new MembershipService.Join(true, MembershipSource.BOOTSTRAP,
                Set.of(), GrantSource.MANUAL), Actor.system("test"));
        return new Owner(org, domain, admin);
    }

    private String verify(TestData.Org org) {
        String domain = TestData.unique("acme") + ".test";
        UUID id = UUID.fromString(api.post(org.admin().token(), org.api("/sso-domains"), Map.of("domain", domain))
                .json().path("id").asText());
        domains.markVerifiedByOperator(org.id(), id, Actor.system("test operator"));
        return domain;
    }

    @Test
    void aDirectoryProvisioningAnAddressOfAnotherOrganizationsVerifiedDomainKeepsTheUserUnlinked() {
        Owner acme = owner();
        ScimTestClient beta = ScimTestClient.create(api, data, "entra");

        ScimTestClient.Response created = beta.post("/Users", entraUser(acme.admin().email(), "Directory Name"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("Private Name").doesNotContain(acme.admin().id().toString());
        assertThat(members.findByAccount(beta.org.id(), acme.admin().id())).isEmpty();
        assertThat(beta.get("/Users/" + created.id()).json().path("userName").asText())
                .isEqualTo(acme.admin().email());
        // Nobody has this one yet: no account is made for it either.
        String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + acme.domain();
        assertThat(beta.post("/Users", entraUser(newcomer, "New Comer")).status()).isEqualTo(201);
        assertThat(accounts.findByEmail(newcomer)).isEmpty();
        // Neither user holds the directory's claim on its address: the statement that writes a new user takes it only
        // when no other organization verified the domain, as when the domain's owner was read before it.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM scim_email_claim WHERE directory_id = ?").param(beta.directoryId)
                .query(Integer.class).single()).isZero();

        JsonNode unlinked = api.get(beta.org.admin().token(),
                beta.org.api("/scim-directories/" + beta.directoryId + "/unlinked-users")).json();
        assertThat(unlinked.path("items").findValuesAsText("reason")).containsOnly("claimed-domain");
        assertThat(unlinked.path("items").findValuesAsText("email")).contains(acme.admin().email(), newcomer);
        assertThat(unlinked.path("items").get(0).path("detail").asText())
                .contains(acme.domain() + " is a domain another organization has verified");
        AuditEvent held = latest(beta.org.id(), "scim.user-held");
        assertThat(held.after().path("reason").asText()).isEqualTo("claimed-domain");
        AuditEvent told = latest(acme.org().id(), "linking.claim-refused");
        assertThat(told.after().path("channel").asText()).isEqualTo("SCIM");
        assertThat(told.after().path("organization").asText()).isEqualTo(beta.org.slug());

        JsonNode logged = api.get(beta.org.admin().token(), beta.org.api("/scim-directories/" + beta.directoryId
                + "/requests?method=POST")).json().path("items");
        assertThat(logged.findValuesAsText("note")).anyMatch(note -> note.contains("another organization"));

        TestSession admin = new TestSession(api.baseUrl());
        admin.signIn(beta.org.admin().email(), TestData.PASSWORD);
        String page = admin.get("/orgs/" + beta.org.slug() + "/manage/provisioning/directories/"
                + beta.directoryId).body();
        assertThat(page).contains("Users not linked to a member", acme.admin().email(),
                acme.domain() + " is a domain another organization has verified");
    }

    @Test
    void anExistingAccountOutsideTheOrganizationsDomainsIsNeitherLinkedNorShown() {
        TestData.Person contractor = data.person("contractor");
        TestData.Org elsewhere = data.org();
        data.join(elsewhere, contractor, true);
        ScimTestClient beta = ScimTestClient.create(api, data, "okta");

        ScimTestClient.Response created = beta.post("/Users", oktaUser(contractor.email(), "Directory", "Name"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("Test member").doesNotContain(contractor.id().toString());
        assertThat(members.findByAccount(beta.org.id(), contractor.id())).isEmpty();
        TestApi.Response listed = api.get(beta.org.admin().token(), beta.org.api("/members?search=" + contractor.email()));
        assertThat(listed.json().path("items")).isEmpty();
        assertThat(listed.body()).doesNotContain(elsewhere.slug()).doesNotContain("Test member");
        JsonNode unlinked = api.get(beta.org.admin().token(),
                beta.org.api("/scim-directories/" + beta.directoryId + "/unlinked-users")).json().path("items");
        assertThat(unlinked).singleElement().satisfies(user -> {
            assertThat(user.path("reason").asText()).isEqualTo("awaiting-acceptance");
            assertThat(user.path("displayName").asText()).isEqualTo("Directory Name");
            assertThat(user.toString()).doesNotContain("Test member").doesNotContain(contractor.id().toString());
        });
        assertThat(latest(beta.org.id(), "scim.user-held").after().path("reason").asText())
                .isEqualTo("awaiting-acceptance");

        // Deactivated and reactivated, updated again and again (Okta PUTs whole users): still only the owner decides.
        beta.patch("/Users/" + created.id(), patch(op("replace", "active", false)));
        beta.patch("/Users/" + created.id(), patch(op("replace", "active", true)));
        beta.put("/Users/" + created.id(), oktaUser(contractor.email(), "Directory", "Renamed"));
        assertThat(members.findByAccount(beta.org.id(), contractor.id())).isEmpty();
    }

    @Test
    void theDirectoryStillLinksItsOwnDomainsPeopleAndItsOrganizationsMembersAtOnce() {
        Owner acme = owner();
        ScimTestClient directory = ScimTestClient.create(api, acme.org(), "entra", null);
        Account colleague = accounts.create(new EmailAddress("colleague@" + acme.domain()), "Colleague",
                TestData.PASSWORD, Actor.system("test"));
        TestData.Person invitedBefore = data.member(acme.org(), false);

        assertThat(directory.post("/Users", entraUser(colleague.email(), "Colleague")).status()).isEqualTo(201);
        assertThat(directory.post("/Users", entraUser(invitedBefore.email(), "Member")).status()).isEqualTo(201);

        assertThat(members.findByAccount(acme.org().id(), colleague.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(members.findByAccount(acme.org().id(), invitedBefore.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(api.get(acme.org().admin().token(), acme.org().api("/scim-directories/"
                + directory.directoryId + "/unlinked-users")).json().path("items")).isEmpty();
    }

    /** A user as Microsoft Entra ID provisions it. */
    static Map<String, Object> entraUser(String email, String displayName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
        body.put("externalId", UUID.randomUUID().toString());
        body.put("userName", email);
        body.put("active", true);
        body.put("displayName", displayName);
        body.put("emails", List.of(Map.of("primary", true, "type", "work", "value", email)));
        body.put("meta", Map.of("resourceType", "User"));
        body.put("name", Map.of("formatted", displayName, "familyName", "Name", "givenName", "Directory"));
        body.put("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", Map.of("department", "Engineering"));
        return body;
    }

    /** A user as Okta provisions it. */
    static Map<String, Object> oktaUser(String email, String given, String family) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        body.put("userName", email);
        body.put("name", Map.of("givenName", given, "familyName", family));
        body.put("emails", List.of(Map.of("primary", true, "value", email, "type", "work")));
        body.put("displayName", given + " " + family);
        body.put("locale", "en-US");
        body.put("externalId", "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17));
        body.put("groups", List.of());
        body.put("active", true);
        return body;
    }

    private AuditEvent latest(UUID organizationId, String action) {
        List<AuditEvent> found = audit.find(organizationId, new AuditQuery(null, null, null, action, null, null,
                null), PageQuery.of(0, 1)).items();
        assertThat(found).as("an audit entry " + action).isNotEmpty();
        return found.get(0);
    }
}
