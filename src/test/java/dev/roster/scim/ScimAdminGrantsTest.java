package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The admin flag by source (issue 16): a SCIM directory adds and withdraws only its own admin grant, so it never undoes
 * an admin's; an admin cannot take away what only the directory grants; the last-admin rule applies to the result;
 * and a directory of another organization reaches no one here.
 */
@RosterIntegrationTest
class ScimAdminGrantsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MemberReads directory;
    @Autowired
    MembershipService memberships;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog audit;

    @Test
    void theDirectoryWithdrawsItsGrantAndTheAdminsManualGrantStays() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("ops-lead");
        String userId = scim.createUser(email);
        String groupId = scim.createGroup(TestData.unique("Roster admins"), userId);
        mapAsAdmins(scim, groupId);
        UUID membership = membership(scim.org.id(), email);
        assertThat(admin(scim.org, membership)).isTrue();

        // Only the directory makes them an admin: an admin's demotion would be undone by its next sync.
        TestApi.Response refused = setAdmin(scim.org, membership, false);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:managed-by-directory");
        assertThat(admin(scim.org, membership)).isTrue();

        // An admin makes them an admin by hand as well; then the group loses them.
        assertThat(setAdmin(scim.org, membership, true).status()).isEqualTo(200);
        scim.patch("/Groups/" + groupId, patch(op("Remove", "members", members(userId))));

        assertThat(admin(scim.org, membership)).as("the manual grant stays").isTrue();
        assertThat(directory.adminGrantedBy(scim.org.id(), GrantSource.SCIM, List.of(membership))).isEmpty();
        List<AuditEvent> withdrawn = entries(scim.org, Channel.SCIM, "member.admin-grant-withdrawn");
        assertThat(withdrawn).hasSize(1);
        assertThat(withdrawn.get(0).before().path("adminSource").asText()).isEqualTo("SCIM");
        assertThat(entries(scim.org, Channel.SCIM, "member.admin-revoked")).isEmpty();

        // The manual grant is the admin's to withdraw, and then the member is no admin.
        TestApi.Response demoted = setAdmin(scim.org, membership, false);
        assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
        assertThat(demoted.json().path("admin").asBoolean()).isFalse();
    }

    @Test
    void theMemberAndTheirEventsShowWhichSourcesMakeThemAnAdmin() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        TestData.Person plain = data.member(scim.org, false);
        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            String email = TestData.uniqueEmail("directory-admin");
            String userId = scim.createUser(email);
            String groupId = scim.createGroup(TestData.unique("Roster admins"), userId);
            mapAsAdmins(scim, groupId);
            UUID membership = membership(scim.org.id(), email);

            // Only the directory makes them an admin: a client sees, before it asks, that a demotion is not for it.
            JsonNode member = get(scim.org, membership);
            assertThat(member.path("admin").asBoolean()).isTrue();
            assertThat(adminSources(member)).containsExactly("scim");
            assertThat(member.path("adminManagedByDirectory").asBoolean()).isTrue();
            // The event that made them one carries the member as the API shows it.
            JsonNode granted = feed.awaitOne("member.updated", membership.toString());
            assertThat(granted.path("data")).isEqualTo(member);
            assertThat(granted.path("changes").path("admin").path("to").asBoolean()).isTrue();
            assertThat(adminSources(granted.path("data"))).containsExactly("scim");
            assertThat(granted.path("data").path("adminManagedByDirectory").asBoolean()).isTrue();

            // The list reads them for its page: the directory's admin, the admin made by hand, a plain member.
            Map<String, JsonNode> listed = new HashMap<>();
            api.get(scim.org.admin().token(), scim.org.api("/members?size=500")).json().path("items")
                    .forEach(item -> listed.put(item.path("email").asText(), item));
            assertThat(adminSources(listed.get(email))).containsExactly("scim");
            assertThat(adminSources(listed.get(scim.org.admin().email()))).containsExactly("manual");
            assertThat(listed.get(scim.org.admin().email()).path("adminManagedByDirectory").asBoolean()).isFalse();
            assertThat(adminSources(listed.get(plain.email()))).isEmpty();
            assertThat(listed.get(plain.email()).path("adminManagedByDirectory").asBoolean()).isFalse();

            // Made an admin by hand too, then demoted: only the manual grant goes, and the answer shows what stays.
            assertThat(adminSources(setAdmin(scim.org, membership, true).json())).containsExactly("manual", "scim");
            TestApi.Response demoted = setAdmin(scim.org, membership, false);
            assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
            assertThat(demoted.json().path("admin").asBoolean()).isTrue();
            assertThat(adminSources(demoted.json())).containsExactly("scim");

            // The group loses them: no source is left, and the event says so.
            scim.patch("/Groups/" + groupId, patch(op("Remove", "members", members(userId))));
            member = get(scim.org, membership);
            assertThat(member.path("admin").asBoolean()).isFalse();
            assertThat(adminSources(member)).isEmpty();
            assertThat(member.path("adminManagedByDirectory").asBoolean()).isFalse();
            List<JsonNode> updates = adminUpdates(feed.await(events -> adminUpdates(events, membership).size() == 2,
                    "the revocation"), membership);
            assertThat(updates.get(1).path("changes").path("admin").path("to").asBoolean()).isFalse();
            assertThat(updates.get(1).path("data")).isEqualTo(member);
        }
    }

    @Test
    void theLastAdminRuleAppliesToTheResultOfTheGrants() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("only-admin");
        String userId = scim.createUser(email);
        String groupId = scim.createGroup(TestData.unique("Roster admins"), userId);
        mapAsAdmins(scim, groupId);
        UUID membership = membership(scim.org.id(), email);
        Actor admin = Actor.account(scim.org.admin().id(), scim.org.admin().email(), Channel.API);
        memberships.setAdmin(scim.org.id(), membership, true, admin);
        memberships.remove(scim.org.id(), scim.org.adminMembership().id(), admin);
        // Now the directory's member is the organization's only admin, through two grants.

        // Withdrawing the manual grant leaves them an admin through the directory's: no last-admin refusal.
        Membership after = memberships.setAdmin(scim.org.id(), membership, false, admin);
        assertThat(after.admin()).isTrue();

        // The directory's withdrawal would leave no admin: the request succeeds, the flag and the grant stay, the
        // audit log says why.
        int status = scim.patch("/Groups/" + groupId, patch(op("Remove", "members", members(userId)))).status();
        assertThat(status).isBetween(200, 204);
        assertThat(admin(scim.org, membership)).isTrue();
        assertThat(directory.adminGrantedBy(scim.org.id(), GrantSource.SCIM, List.of(membership)))
                .containsExactly(membership);
        assertThat(entries(scim.org, Channel.SCIM, "member.admin-kept")).hasSize(1);

        // With another admin, the directory's next word takes effect.
        TestData.Person other = data.member(scim.org, true);
        assertThat(other).isNotNull();
        assertThat(memberships.revokeAdminUnlessLast(scim.org.id(), membership, GrantSource.SCIM,
                Actor.system("directory"), "The SCIM directory's groups"))
                .isEqualTo(MembershipService.AdminRevocation.REVOKED);
        assertThat(admin(scim.org, membership)).isFalse();
    }

    @Test
    void anotherOrganizationsDirectoryCannotGrantAdminHere() {
        TestData.Org here = data.org();
        TestData.Person person = data.member(here, false);
        UUID membershipHere = membership(here.id(), person.email());
        ScimTestClient elsewhere = ScimTestClient.create(api, data, "entra");
        String userId = elsewhere.createUser(person.email());
        String groupId = elsewhere.createGroup(TestData.unique("Roster admins"), userId);
        mapAsAdmins(elsewhere, groupId);

        assertThat(admin(here, membershipHere)).isFalse();
        assertThat(directory.adminGrantedBy(here.id(), GrantSource.SCIM, List.of(membershipHere))).isEmpty();
        // The write path itself finds no such member in the other organization.
        assertThatThrownBy(() -> memberships.grantAdmin(elsewhere.org.id(), membershipHere, GrantSource.SCIM,
                Actor.system("directory"))).isInstanceOf(NotFoundException.class);
        assertThat(memberships.revokeAdminUnlessLast(elsewhere.org.id(), here.adminMembership().id(), GrantSource.SCIM,
                Actor.system("directory"), "a directory")).isEqualTo(MembershipService.AdminRevocation.NOT_ADMIN);
        assertThat(admin(here, membershipHere)).isFalse();
        assertThat(admin(here, here.adminMembership().id())).isTrue();
    }

    private void mapAsAdmins(ScimTestClient scim, String groupId) {
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "id", "value", groupId), "teams", List.of(), "admin", true));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
    }

    private JsonNode get(TestData.Org org, UUID membership) {
        TestApi.Response found = api.get(org.admin().token(), org.api("/members/" + membership));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        return found.json();
    }

    /** The member's {@code member.updated} events (their admin flag changed), in stream order. */
    private static List<JsonNode> adminUpdates(List<JsonNode> events, UUID membership) {
        return EventFeed.about(events, membership.toString()).stream()
                .filter(e -> e.path("type").asText().equals("member.updated")).toList();
    }

    private static List<String> adminSources(JsonNode member) {
        assertThat(member.has("adminSources")).as("adminSources of %s", member).isTrue();
        List<String> sources = new ArrayList<>();
        member.path("adminSources").forEach(source -> sources.add(source.asText()));
        return sources;
    }

    private TestApi.Response setAdmin(TestData.Org org, UUID membership, boolean admin) {
        return api.patch(org.admin().token(), org.api("/members/" + membership), Map.of("admin", admin));
    }

    private boolean admin(TestData.Org org, UUID membership) {
        return directory.find(org.id(), membership).orElseThrow().admin();
    }

    private UUID membership(UUID organizationId, String email) {
        UUID accountId = accounts.findByEmail(email).orElseThrow().id();
        return directory.findByAccount(organizationId, accountId).map(Membership::id).orElseThrow();
    }

    private List<AuditEvent> entries(TestData.Org org, Channel channel, String action) {
        return audit.find(org.id(), new AuditQuery(null, null, channel, action, null, null, null), PageQuery.of(0, 20))
                .items();
    }
}
