package dev.roster.scim.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.utils.SchemaUtils;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;
import com.unboundid.scim2.server.utils.SchemaChecker;

/**
 * Brings a resource as an identity provider sent it into the shape Roster stores, and checks it against the schema.
 * What the clients send that RFC 7643 spells differently is accepted here: attribute names in any case, booleans as
 * the strings "True"/"False" (Entra), explicit nulls and empty arrays for unassigned attributes (RFC 7643 section
 * 2.5), a single object for a multi-valued attribute, the enterprise manager as a bare id (Entra), and schema URNs
 * Roster does not know in {@code schemas} (Entra's ADSCIM group schema). A user's {@code userName} is stored
 * without leading or trailing spaces.
 */
public final class ResourceShape {

    private ResourceShape() {
    }

    /**
     * Returns the writable attributes of a resource: names in their schema spelling, values coerced, read-only and
     * server-managed attributes (id, meta, schemas, groups) and the write-only password dropped. Extension namespaces
     * Roster does not define are kept as they are, so nothing the IdP sent is silently lost.
     */
    public static ObjectNode writable(ObjectNode input, ResourceTypeDefinition type) {
        rejectNulCharacters(input);
        ObjectNode result = ScimJson.object();
        Collection<AttributeDefinition> core = type.getCoreSchema().getAttributes();
        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (isUnassigned(value) || isServerManaged(name)) {
                continue;
            }
            if (SchemaUtils.isUrn(name)) {
                if (name.equalsIgnoreCase(type.getCoreSchema().getId()) && value.isObject()) {
                    // Core attributes qualified by the core URN as a namespace: the same attributes, spelt long.
                    ObjectNode inner = writable((ObjectNode) value, type);
                    inner.fields().forEachRemaining(e -> result.set(e.getKey(), e.getValue()));
                    continue;
                }
                Optional<SchemaResource> extension = extension(type, name);
                if (extension.isPresent() && value.isObject()) {
                    ObjectNode shaped = shapeObject((ObjectNode) value, extension.get().getAttributes());
                    if (!shaped.isEmpty()) {
                        result.set(extension.get().getId(), shaped);
                    }
                }
                else if (extension.isEmpty()) {
                    result.set(name, value);
                }
                else {
                    result.set(extension.get().getId(), value);
                }
                continue;
            }
            Optional<AttributeDefinition> definition = ScimSchemas.attribute(core, name);
            if (definition.isEmpty()) {
                result.set(name, value);
                continue;
            }
            AttributeDefinition attribute = definition.get();
            if (attribute.getMutability() == AttributeDefinition.Mutability.READ_ONLY
                    || attribute.getMutability() == AttributeDefinition.Mutability.WRITE_ONLY) {
                continue;
            }
            JsonNode shaped = shape(value, attribute);
            if (type == ScimSchemas.USER_TYPE && attribute.getName().equals("userName") && shaped.isTextual()) {
                // Stored as it is compared (and as filters compare it): without leading or trailing spaces.
                shaped = ScimJson.nodes().textNode(shaped.textValue().trim());
            }
            if (!isUnassigned(shaped)) {
                result.set(attribute.getName(), shaped);
            }
        }
        return result;
    }

    /**
     * Checks the shaped resource against the schema (types, required attributes, canonical values). Extension
     * namespaces Roster does not define are not checked.
     */
    public static void check(ObjectNode shaped, ResourceTypeDefinition type) {
        ObjectNode candidate = shaped.deepCopy();
        ArrayNode schemas = ScimJson.array();
        schemas.add(type.getCoreSchema().getId());
        Iterator<String> names = candidate.fieldNames();
        List<String> unknown = new ArrayList<>();
        while (names.hasNext()) {
            String name = names.next();
            if (SchemaUtils.isUrn(name)) {
                if (extension(type, name).isPresent()) {
                    schemas.add(name);
                }
                else {
                    unknown.add(name);
                }
            }
        }
        unknown.forEach(candidate::remove);
        candidate.set("schemas", schemas);
        SchemaChecker.Results results;
        try {
            results = ScimSchemas.checker(type).checkCreate(candidate);
        }
        catch (ScimException ex) {
            throw ScimError.of(ex);
        }
        if (!results.getSyntaxIssues().isEmpty()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, sentences(results.getSyntaxIssues(),
                    "A value does not fit its attribute's type."));
        }
        if (!results.getMutabilityIssues().isEmpty()) {
            throw ScimError.badRequest(ScimError.MUTABILITY, sentences(results.getMutabilityIssues(),
                    "The resource changes an attribute that cannot be changed."));
        }
        if (!results.getPathIssues().isEmpty()) {
            throw ScimError.badRequest(ScimError.INVALID_PATH, sentences(results.getPathIssues(),
                    "The resource names an attribute path Roster cannot apply."));
        }
    }

    /** The schema checker's findings, each as a sentence (its own where it is one). */
    private static String sentences(List<String> issues, String fallback) {
        return String.join(" ", issues.stream().limit(5).map(issue -> ScimError.fromSdk(issue, fallback)).distinct()
                .toList());
    }

    /** The schema URNs a stored resource carries: the core schema, then each extension namespace present. */
    public static ArrayNode schemasOf(ObjectNode resource, ResourceTypeDefinition type) {
        ArrayNode schemas = ScimJson.array();
        schemas.add(type.getCoreSchema().getId());
        resource.fieldNames().forEachRemaining(name -> {
            if (SchemaUtils.isUrn(name)) {
                schemas.add(name);
            }
        });
        return schemas;
    }

    public static Optional<SchemaResource> extension(ResourceTypeDefinition type, String urn) {
        return type.getSchemaExtensions().keySet().stream().filter(s -> s.getId().equalsIgnoreCase(urn)).findFirst();
    }

    /** PostgreSQL text cannot hold U+0000; such a value is the client's mistake, not a conflict. */
    public static void rejectNulCharacters(JsonNode node) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "Values cannot contain the character U+0000.");
        }
        if (node.isContainerNode()) {
            node.forEach(ResourceShape::rejectNulCharacters);
            node.fieldNames().forEachRemaining(name -> {
                if (name.indexOf('\u0000') >= 0) {
                    throw ScimError.badRequest(ScimError.INVALID_VALUE, "Names cannot contain the character U+0000.");
                }
            });
        }
    }

    public static boolean isUnassigned(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || (value.isArray() && value.isEmpty());
    }

    private static boolean isServerManaged(String name) {
        return name.equalsIgnoreCase("schemas") || name.equalsIgnoreCase("id") || name.equalsIgnoreCase("meta");
    }

    static JsonNode shape(JsonNode value, AttributeDefinition attribute) {
        if (attribute.isMultiValued()) {
            ArrayNode values = ScimJson.array();
            if (value.isArray()) {
                value.forEach(v -> {
                    JsonNode shaped = shapeSingle(v, attribute);
                    if (!isUnassigned(shaped)) {
                        values.add(shaped);
                    }
                });
            }
            else {
                JsonNode shaped = shapeSingle(value, attribute);
                if (!isUnassigned(shaped)) {
                    values.add(shaped);
                }
            }
            return values;
        }
        return shapeSingle(value, attribute);
    }

    private static JsonNode shapeSingle(JsonNode value, AttributeDefinition attribute) {
        if (value == null || value.isNull()) {
            return null;
        }
        switch (attribute.getType()) {
            case BOOLEAN -> {
                if (value.isTextual()) {
                    String text = value.textValue().trim().toLowerCase(Locale.ROOT);
                    if (text.equals("true") || text.equals("false")) {
                        return BooleanNode.valueOf(text.equals("true"));
                    }
                }
                return value;
            }
            case COMPLEX -> {
                if (value.isObject()) {
                    return shapeObject((ObjectNode) value, attribute.getSubAttributes());
                }
                if (value.isTextual() && attribute.getName().equals("manager")) {
                    // Entra sends the manager as the manager's id alone.
                    ObjectNode manager = ScimJson.object();
                    manager.put("value", value.textValue());
                    return manager;
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    private static ObjectNode shapeObject(ObjectNode value, Collection<AttributeDefinition> attributes) {
        ObjectNode result = ScimJson.object();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (isUnassigned(field.getValue())) {
                continue;
            }
            Optional<AttributeDefinition> definition = attributes == null ? Optional.empty()
                    : ScimSchemas.attribute(attributes, field.getKey());
            if (definition.isEmpty()) {
                result.set(field.getKey(), field.getValue());
                continue;
            }
            if (definition.get().getMutability() == AttributeDefinition.Mutability.READ_ONLY) {
                continue;
            }
            JsonNode shaped = shape(field.getValue(), definition.get());
            if (!isUnassigned(shaped)) {
                result.set(definition.get().getName(), shaped);
            }
        }
        return result;
    }
}
