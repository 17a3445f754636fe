package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.client.SearchResultHandler;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;

import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.jdk.connector.JdkConnectorProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Interoperability with the UnboundID SCIM2 SDK's own client ({@link ScimService} on Jersey's JAX-RS client, on the
 * test classpath only): discovery, users with the enterprise extension, searches, PATCH, PUT, groups and errors.
 */
@RosterIntegrationTest
class ScimSdkClientInteropTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void theSdkClientProvisionsAndReadsBack() throws ScimException {
        ScimTestClient directory = ScimTestClient.create(api, data, "generic");
        // Jersey's JDK connector, because its default HttpURLConnection connector cannot send PATCH.
        Client client = ClientBuilder.newClient(new ClientConfig().connectorProvider(new JdkConnectorProvider()))
                .register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                        request.getHeaders().putSingle("Authorization", "Bearer " + directory.token));
        try {
            ScimService scim = new ScimService(client.target(directory.baseUrl()));
            assertThat(scim.getServiceProviderConfig().getPatch().isSupported()).isTrue();
            assertThat(scim.getResourceType("User").getSchemaExtensions()).isNotEmpty();
            assertThat(scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User").getName()).isEqualTo("User");

            String email = TestData.uniqueEmail("sdk");
            UserResource user = new UserResource().setUserName(email).setDisplayName("Sdk Person")
                    .setName(new Name().setGivenName("Sdk").setFamilyName("Person"))
                    .setEmails(List.of(new Email().setValue(email).setType("work").setPrimary(true)));
            user.setExtension(new EnterpriseUserExtension().setDepartment("Research"));
            UserResource created = scim.create("Users", user);
            assertThat(created.getId()).isNotBlank();
            assertThat(created.getMeta().getResourceType()).isEqualTo("User");
            assertThat(created.getMeta().getVersion()).startsWith("W/");
            assertThat(created.getExtension(EnterpriseUserExtension.class).getDepartment()).isEqualTo("Research");

            Results<UserResource> found = new Results<>();
            scim.searchRequest("Users").filter(Filter.eq("userName", email.toUpperCase()).toString())
                    .invoke(found, UserResource.class);
            assertThat(found.total).isEqualTo(1);
            assertThat(found.resources.get(0).getId()).isEqualTo(created.getId());
            Results<UserResource> posted = new Results<>();
            scim.searchRequest("Users").filter(Filter.eq("externalId", "nobody").toString())
                    .invokePost(posted, UserResource.class);
            assertThat(posted.total).isZero();

            UserResource modified = scim.modifyRequest("Users", created.getId()).replaceValue("displayName", "Renamed")
                    .replaceValue("active", false).invoke(UserResource.class);
            assertThat(modified.getDisplayName()).isEqualTo("Renamed");
            assertThat(modified.getActive()).isFalse();

            modified.setTitle("Researcher");
            // By a relative URI: meta.location carries roster.base-url, which is not the test server's random port.
            UserResource replaced = scim.replaceRequest(URI.create("Users/" + created.getId()), modified).invoke();
            assertThat(replaced.getTitle()).isEqualTo("Researcher");
            assertThat(scim.retrieve("Users", created.getId(), UserResource.class).getTitle()).isEqualTo("Researcher");

            GroupResource group = new GroupResource().setDisplayName(TestData.unique("Sdk group"))
                    .setMembers(List.of(new Member().setValue(created.getId())));
            GroupResource createdGroup = scim.create("Groups", group);
            assertThat(createdGroup.getMembers()).extracting(Member::getValue).containsExactly(created.getId());
            Results<GroupResource> groups = new Results<>();
            scim.searchRequest("Groups").filter(Filter.eq("members.value", created.getId()).toString())
                    .excludedAttributes("members").invoke(groups, GroupResource.class);
            assertThat(groups.total).isEqualTo(1);
            assertThat(groups.resources.get(0).getMembers()).isNull();

            scim.delete("Users", created.getId());
            assertThatThrownBy(() -> scim.retrieve("Users", created.getId(), UserResource.class))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        finally {
            client.close();
        }
    }

    /**
     * Collects a search's results. The SDK client 4.0.0 builds a {@code ListResponse} with a constructor that
     * scim2-sdk-common 5.0.0 no longer has, so searches are read through the client's streaming handler instead.
     */
    private static final class Results<T> implements SearchResultHandler<T> {

        final List<T> resources = new ArrayList<>();
        int total = -1;

        @Override
        public void startIndex(int startIndex) {
        }

        @Override
        public void itemsPerPage(int itemsPerPage) {
        }

        @Override
        public void totalResults(int totalResults) {
            total = totalResults;
        }

        @Override
        public boolean resource(T scimResource) {
            resources.add(scimResource);
            return true;
        }

        @Override
        public void extension(String urn, ObjectNode extensionObjectNode) {
        }
    }
}
