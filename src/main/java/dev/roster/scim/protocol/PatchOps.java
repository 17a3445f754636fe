package dev.roster.scim.protocol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.utils.SchemaUtils;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;

/**
 * Reads a PatchOp request (RFC 7644 section 3.5.2) in every dialect Entra ID and Okta send, and expands it into
 * operations that each name one attribute path:
 * <ul>
 * <li>{@code op} in any case ("Add", "Replace", "remove");</li>
 * <li>path-less add/replace whose value holds several attributes, with plain keys ({@code {"active": false}}),
 * dotted keys ({@code {"name.givenName": "x"}}), attribute keys qualified by a schema URN, and extension
 * namespaces;</li>
 * <li>Okta's group rename, whose value repeats the group's {@code id} next to the new {@code displayName};</li>
 * <li>a remove that carries a value (Entra's member removal), kept for the caller to interpret.</li>
 * </ul>
 */
public final class PatchOps {

    /** Operations in one request; more is refused as {@code tooMany} rather than tying up a database transaction. */
    public static final int MAX_OPERATIONS = 1000;

    public record Op(PatchOpType type, Path path, JsonNode value) {

        public String attribute() {
            return path.isRoot() ? null : path.getElement(0).getAttribute();
        }

        /** Whether the operation targets the given core attribute (by name, in any case). */
        public boolean targets(String attribute) {
            if (path.isRoot()) {
                return false;
            }
            String urn = path.getSchemaUrn();
            boolean core = urn == null || urn.equalsIgnoreCase(ScimSchemas.USER) || urn.equalsIgnoreCase(ScimSchemas.GROUP);
            return core && attribute.equalsIgnoreCase(path.getElement(0).getAttribute());
        }
    }

    private PatchOps() {
    }

    /** The SCIM SDK's operation for one op of either resource type; a value that does not fit its path is refused. */
    static PatchOperation sdkOperation(PatchOpType type, Path path, JsonNode value) {
        try {
            return PatchOperation.create(type, path, value);
        }
        catch (IllegalArgumentException ex) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, ScimError.fromSdk(ex.getMessage(),
                    "The operation's value does not fit its path."));
        }
    }

    /**
     * @param resourceId the id of the resource being patched: a path-less value may repeat it (Okta), any other id
     *                   is a {@code mutability} error
     */
    public static List<Op> parse(ObjectNode body, ResourceTypeDefinition type, String resourceId) {
        JsonNode operations = body.get("Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX,
                    "A PATCH request needs a non-empty 'Operations' array (RFC 7644 section 3.5.2).");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimError.badRequest(ScimError.TOO_MANY,
                    "A PATCH request holds at most " + MAX_OPERATIONS + " operations.");
        }
        List<Op> result = new ArrayList<>();
        int index = 0;
        for (JsonNode operation : operations) {
            if (!operation.isObject()) {
                throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "Operation " + index + " is not a JSON object.");
            }
            PatchOpType opType = opType(operation.get("op"), index);
            JsonNode pathNode = operation.get("path");
            JsonNode value = operation.get("value");
            if (pathNode != null && !pathNode.isNull() && !pathNode.isTextual()) {
                throw ScimError.badRequest(ScimError.INVALID_PATH, "The path of operation " + index
                        + " must be a string.");
            }
            String pathText = pathNode == null || pathNode.isNull() ? null : pathNode.textValue().trim();
            if (pathText == null || pathText.isEmpty()) {
                if (opType == PatchOpType.REMOVE) {
                    throw ScimError.badRequest(ScimError.NO_TARGET, "A remove operation needs a path.");
                }
                if (value == null || !value.isObject()) {
                    throw ScimError.badRequest(ScimError.INVALID_VALUE, "Operation " + index
                            + " has no path, so its value must be a JSON object of attributes.");
                }
                expand(opType, (ObjectNode) value, type, resourceId, result);
            }
            else {
                if (opType != PatchOpType.REMOVE && value == null) {
                    throw ScimError.badRequest(ScimError.INVALID_VALUE, "Operation " + index + " needs a value.");
                }
                Path path = path(pathText);
                AttributePaths.requireDefined(path, type, ScimError.INVALID_PATH);
                result.add(new Op(opType, path, value));
            }
            index++;
        }
        return result;
    }

    /**
     * Parses an attribute path (RFC 7644 section 3.5.2, also used for attribute lists); brackets and quotes are
     * checked first, because the SDK accepts an unclosed {@code emails[type eq "work"}.
     */
    public static Path path(String text) {
        if (text.length() > 512) {
            throw ScimError.badRequest(ScimError.INVALID_PATH, "The path is too long.");
        }
        Nesting.check(text, ScimError.INVALID_PATH, "path", FilterSql.MAX_DEPTH);
        try {
            return Path.fromString(colonAfterSchema(text));
        }
        catch (BadRequestException | RuntimeException ex) {
            throw ScimError.badRequest(ScimError.INVALID_PATH, "'" + text + "' is not an attribute path Roster can"
                    + " read. A path is an attribute, optionally with a sub-attribute (name.givenName) or a value"
                    + " filter (emails[type eq \"work\"].value), as RFC 7644 section 3.5.2 describes.");
        }
    }

    /**
     * {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager}, as Microsoft's provisioning samples
     * write it, means {@code ...:User:manager} (RFC 7644 section 3.10 joins a schema URN and its attribute with a
     * colon); the SDK would read the dotted form as an attribute "User" of a schema "...:2.0". Only the schemas
     * Roster serves are recognised.
     */
    static String colonAfterSchema(String text) {
        for (var schema : ScimSchemas.ALL) {
            String urn = schema.getId();
            if (text.length() > urn.length() + 1 && text.regionMatches(true, 0, urn, 0, urn.length())
                    && text.charAt(urn.length()) == '.') {
                return text.substring(0, urn.length()) + ":" + text.substring(urn.length() + 1);
            }
        }
        return text;
    }

    private static PatchOpType opType(JsonNode op, int index) {
        if (op == null || !op.isTextual()) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "Operation " + index + " has no 'op'.");
        }
        return switch (op.textValue().trim().toLowerCase(Locale.ROOT)) {
            case "add" -> PatchOpType.ADD;
            case "replace" -> PatchOpType.REPLACE;
            case "remove" -> PatchOpType.REMOVE;
            default -> throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "Operation " + index
                    + " has the unknown op '" + op.textValue() + "'; use add, replace or remove.");
        };
    }

    private static void expand(PatchOpType opType, ObjectNode value, ResourceTypeDefinition type, String resourceId,
                               List<Op> result) {
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode fieldValue = field.getValue();
            if (key.equalsIgnoreCase("id")) {
                if (fieldValue.isTextual() && fieldValue.textValue().equalsIgnoreCase(resourceId)) {
                    continue;
                }
                throw ScimError.badRequest(ScimError.MUTABILITY, "The id of a resource cannot be changed.");
            }
            if (key.equalsIgnoreCase("schemas") || key.equalsIgnoreCase("meta")) {
                continue;
            }
            if (SchemaUtils.isUrn(key) && isNamespace(key, type)) {
                if (key.equalsIgnoreCase(type.getCoreSchema().getId()) && fieldValue.isObject()) {
                    expand(opType, (ObjectNode) fieldValue, type, resourceId, result);
                }
                else if (fieldValue.isObject()) {
                    fieldValue.fields().forEachRemaining(inner -> result.add(new Op(opType,
                            Path.root(namespace(key, type)).attribute(inner.getKey()), inner.getValue())));
                }
                else {
                    result.add(new Op(opType, Path.root(namespace(key, type)), fieldValue));
                }
                continue;
            }
            result.add(new Op(opType, path(key), fieldValue));
        }
    }

    /** Whether a URN key names a whole schema namespace rather than one attribute qualified by its schema. */
    private static boolean isNamespace(String key, ResourceTypeDefinition type) {
        if (key.equalsIgnoreCase(type.getCoreSchema().getId())) {
            return true;
        }
        if (ResourceShape.extension(type, key).isPresent()) {
            return true;
        }
        // An unknown URN: a namespace unless it ends in a known-style attribute of a known namespace.
        return type.getSchemaExtensions().keySet().stream()
                .noneMatch(s -> key.toLowerCase(Locale.ROOT).startsWith(s.getId().toLowerCase(Locale.ROOT) + ":"))
                && !key.toLowerCase(Locale.ROOT).startsWith(type.getCoreSchema().getId().toLowerCase(Locale.ROOT) + ":");
    }

    private static String namespace(String key, ResourceTypeDefinition type) {
        return ResourceShape.extension(type, key).map(s -> s.getId()).orElse(key);
    }
}
