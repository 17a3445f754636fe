package dev.roster.scim.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.types.AuthenticationScheme;
import com.unboundid.scim2.common.types.BulkConfig;
import com.unboundid.scim2.common.types.ChangePasswordConfig;
import com.unboundid.scim2.common.types.ETagConfig;
import com.unboundid.scim2.common.types.FilterConfig;
import com.unboundid.scim2.common.types.PatchConfig;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.SortConfig;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.scim.protocol.ScimSchemas;

/** Schema discovery (RFC 7644 section 4): what Roster supports, its resource types and their schemas. */
@Controller
@RequestMapping(ScimRenderer.BASE_PATH)
class ScimDiscoveryController implements ScimEndpoint {

    private final ScimRenderer renderer;

    ScimDiscoveryController(ScimRenderer renderer) {
        this.renderer = renderer;
    }

    @GetMapping("/ServiceProviderConfig")
    ResponseEntity<byte[]> serviceProviderConfig() {
        ServiceProviderConfigResource config = new ServiceProviderConfigResource(
                "https://github.com/roster/roster/blob/main/docs/scim.md",
                new PatchConfig(true),
                new BulkConfig(false, 0, 0),
                new FilterConfig(true, ListParams.MAX_COUNT),
                new ChangePasswordConfig(false),
                new SortConfig(true),
                new ETagConfig(true),
                List.of(new AuthenticationScheme("OAuth Bearer Token",
                        "A bearer token issued for this SCIM directory in Roster (Authorization: Bearer scim_...)",
                        null, null, "oauthbearertoken", true)));
        ObjectNode node = ScimJson.mapper().valueToTree(config);
        node.set("meta", meta("ServiceProviderConfig", renderer.baseUrl() + "/ServiceProviderConfig"));
        return ScimResponses.ok(node);
    }

    @GetMapping("/ResourceTypes")
    ResponseEntity<byte[]> resourceTypes() {
        List<ObjectNode> types = List.of(resourceType(ScimSchemas.USER_TYPE), resourceType(ScimSchemas.GROUP_TYPE));
        return ScimResponses.ok(renderer.list(types, types.size(), 1));
    }

    @GetMapping("/ResourceTypes/{name}")
    ResponseEntity<byte[]> resourceType(@PathVariable String name) {
        for (ResourceTypeDefinition type : List.of(ScimSchemas.USER_TYPE, ScimSchemas.GROUP_TYPE)) {
            if (type.getName().equalsIgnoreCase(name)) {
                return ScimResponses.ok(resourceType(type));
            }
        }
        throw ScimError.notFound("Resource type " + name + " not found.");
    }

    @GetMapping("/Schemas")
    ResponseEntity<byte[]> schemas() {
        List<ObjectNode> schemas = new ArrayList<>();
        ScimSchemas.ALL.forEach(schema -> schemas.add(schema(schema)));
        return ScimResponses.ok(renderer.list(schemas, schemas.size(), 1));
    }

    @GetMapping("/Schemas/{id}")
    ResponseEntity<byte[]> schema(@PathVariable String id) {
        return ScimSchemas.find(id).map(schema -> ScimResponses.ok(schema(schema)))
                .orElseThrow(() -> ScimError.notFound("Schema " + id + " not found."));
    }

    private ObjectNode resourceType(ResourceTypeDefinition type) {
        ObjectNode node = ScimJson.mapper().valueToTree(type.toScimResource());
        node.set("meta", meta("ResourceType", renderer.baseUrl() + "/ResourceTypes/" + type.getName()));
        return node;
    }

    private ObjectNode schema(SchemaResource schema) {
        ObjectNode node = ScimJson.mapper().valueToTree(schema);
        node.set("meta", meta("Schema", renderer.baseUrl() + "/Schemas/" + schema.getId()));
        return node;
    }

    private static ObjectNode meta(String type, String location) {
        ObjectNode meta = ScimJson.object();
        meta.put("resourceType", type);
        meta.put("location", location);
        return meta;
    }

}
