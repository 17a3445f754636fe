package dev.roster.scim.protocol;

import java.beans.IntrospectionException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.SchemaUtils;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;
import com.unboundid.scim2.server.utils.SchemaChecker;

/** The schemas Roster serves (RFC 7643 core User and Group, the enterprise User extension), built by the SDK. */
public final class ScimSchemas {

    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    public static final SchemaResource USER_SCHEMA = schema(UserResource.class);
    public static final SchemaResource GROUP_SCHEMA = schema(GroupResource.class);
    public static final SchemaResource ENTERPRISE_USER_SCHEMA = schema(EnterpriseUserExtension.class);

    public static final ResourceTypeDefinition USER_TYPE = new ResourceTypeDefinition.Builder("User", "/Users")
            .setId("User").setDescription("User Account").setCoreSchema(USER_SCHEMA)
            .addOptionalSchemaExtension(ENTERPRISE_USER_SCHEMA).build();
    public static final ResourceTypeDefinition GROUP_TYPE = new ResourceTypeDefinition.Builder("Group", "/Groups")
            .setId("Group").setDescription("Group").setCoreSchema(GROUP_SCHEMA).build();

    public static final List<SchemaResource> ALL = List.of(USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA);

    private ScimSchemas() {
    }

    /**
     * The checker of a resource type, made once: its constructor gathers the type's attribute definitions, a visible
     * share of a create's CPU when it ran per request (issue 15). A checker whose options nobody changes (none are
     * enabled here) keeps no state between checks, so one serves every request.
     */
    public static SchemaChecker checker(ResourceTypeDefinition type) {
        return CHECKERS.computeIfAbsent(type, SchemaChecker::new);
    }

    private static final java.util.Map<ResourceTypeDefinition, SchemaChecker> CHECKERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static Optional<SchemaResource> find(String id) {
        return ALL.stream().filter(s -> s.getId().equalsIgnoreCase(id)).findFirst();
    }

    /** The definition of a top-level attribute by name, ignoring case as RFC 7643 section 2.1 requires. */
    public static Optional<AttributeDefinition> attribute(Collection<AttributeDefinition> attributes, String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return attributes.stream().filter(a -> a.getName().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    private static SchemaResource schema(Class<?> type) {
        try {
            return SchemaUtils.getSchema(type);
        }
        catch (IntrospectionException ex) {
            throw new IllegalStateException("the SCIM SDK cannot describe " + type.getSimpleName(), ex);
        }
    }
}
