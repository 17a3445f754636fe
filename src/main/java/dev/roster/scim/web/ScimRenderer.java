package dev.roster.scim.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.roster.scim.protocol.ETags;
import dev.roster.scim.protocol.ResourceShape;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.scim.protocol.ScimSchemas;
import dev.roster.scim.provisioning.ScimGroupService;
import dev.roster.scim.provisioning.ScimUserService;
import dev.roster.scim.provisioning.StoredGroup;
import dev.roster.scim.provisioning.StoredUser;
import dev.roster.shared.RosterProperties;

/** Writes users, groups and list responses as SCIM JSON, with meta and the attributes a client asked for. */
@Component
class ScimRenderer {

    static final String BASE_PATH = "/scim/v2";

    private final RosterProperties properties;

    ScimRenderer(RosterProperties properties) {
        this.properties = properties;
    }

    /** The tenant URL an IdP is given: {@code roster.base-url} + {@code /scim/v2}. */
    String baseUrl() {
        return properties.url(BASE_PATH);
    }

    String usersUrl() {
        return baseUrl() + "/Users";
    }

    String groupsUrl() {
        return baseUrl() + "/Groups";
    }

    String userLocation(UUID id) {
        return usersUrl() + "/" + id;
    }

    String groupLocation(UUID id) {
        return groupsUrl() + "/" + id;
    }

    ObjectNode user(ScimUserService.UserView view, ListParams params) {
        StoredUser user = view.user();
        ObjectNode node = ScimJson.object();
        node.set("schemas", ResourceShape.schemasOf(user.resource(), ScimSchemas.USER_TYPE));
        node.put("id", user.id().toString());
        user.resource().fields().forEachRemaining(field -> node.set(field.getKey(), field.getValue()));
        if (!view.groups().isEmpty()) {
            ArrayNode groups = node.putArray("groups");
            for (ScimUserService.Ref group : view.groups()) {
                ObjectNode ref = groups.addObject();
                ref.put("value", group.id().toString());
                ref.put("$ref", groupsUrl() + "/" + group.id());
                ref.put("display", group.display());
                ref.put("type", "direct");
            }
        }
        node.set("meta", meta("User", userLocation(user.id()), user.createdAt(), user.updatedAt(),
                user.version()));
        return params.selectsAttributes() ? params.trimmer(ScimSchemas.USER_TYPE).trimObjectNode(node) : node;
    }

    ObjectNode group(ScimGroupService.GroupView view, ListParams params) {
        StoredGroup group = view.group();
        ObjectNode node = ScimJson.object();
        node.set("schemas", ResourceShape.schemasOf(group.attributes(), ScimSchemas.GROUP_TYPE));
        node.put("id", group.id().toString());
        group.attributes().fields().forEachRemaining(field -> node.set(field.getKey(), field.getValue()));
        if (view.members() != null && !view.members().isEmpty()) {
            ArrayNode members = node.putArray("members");
            for (ScimUserService.Ref member : view.members()) {
                ObjectNode ref = members.addObject();
                ref.put("value", member.id().toString());
                ref.put("$ref", usersUrl() + "/" + member.id());
                if (member.display() != null) {
                    ref.put("display", member.display());
                }
                ref.put("type", "User");
            }
        }
        node.set("meta", meta("Group", groupLocation(group.id()), group.createdAt(), group.updatedAt(),
                group.version()));
        return params.selectsAttributes() ? params.trimmer(ScimSchemas.GROUP_TYPE).trimObjectNode(node) : node;
    }

    ObjectNode list(List<ObjectNode> resources, long total, int startIndex) {
        ObjectNode node = ScimJson.object();
        node.set("schemas", ScimJson.schemas(List.of(ScimSchemas.LIST_RESPONSE)));
        node.put("totalResults", total);
        node.put("itemsPerPage", resources.size());
        node.put("startIndex", startIndex);
        ArrayNode array = node.putArray("Resources");
        resources.forEach(array::add);
        return node;
    }

    private static ObjectNode meta(String type, String location, Instant created,
                                   Instant lastModified, long version) {
        ObjectNode meta = ScimJson.object();
        meta.put("resourceType", type);
        meta.put("created", ScimJson.dateTime(created));
        meta.put("lastModified", ScimJson.dateTime(lastModified));
        meta.put("location", location);
        meta.put("version", ETags.of(version));
        return meta;
    }
}
