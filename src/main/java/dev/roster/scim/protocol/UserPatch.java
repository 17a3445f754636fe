package dev.roster.scim.protocol;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.FilterEvaluator;

/**
 * Applies a PatchOp request to a stored user with the SDK's {@link PatchOperation}, after settling what the SDK reads
 * differently from Entra and Okta: values are shaped like a create (string booleans, a bare manager id), an add on a
 * single-valued attribute replaces it, and add or replace of {@code emails[type eq "work"].value} updates the
 * matching email when there is one and creates it when there is none (Entra sends replace for both).
 */
public final class UserPatch {

    private UserPatch() {
    }

    /** Returns the patched copy of {@code current}; {@code current} is left unchanged. */
    public static ObjectNode apply(ObjectNode current, ObjectNode body, String userId) {
        List<PatchOps.Op> ops = PatchOps.parse(body, ScimSchemas.USER_TYPE, userId);
        ObjectNode resource = current.deepCopy();
        for (PatchOps.Op op : ops) {
            if (op.targets("password")) {
                // Roster never takes a password from a directory (people sign in through SSO or set their own);
                // Okta's password sync is accepted and dropped.
                continue;
            }
            if (op.targets("id") || op.targets("meta") || op.targets("groups") || op.targets("schemas")) {
                throw ScimError.badRequest(ScimError.MUTABILITY, "'" + op.path() + "' is read-only.");
            }
            applyOne(resource, op);
        }
        return resource;
    }

    private static void applyOne(ObjectNode resource, PatchOps.Op op) {
        Path path = ScimSchemas.USER_TYPE.normalizePath(op.path());
        PatchOpType type = op.type();
        JsonNode value = op.value();
        if (type == PatchOpType.REMOVE) {
            // A value on a remove is only meaningful for group members; for users the path says it all.
            run(PatchOps.sdkOperation(PatchOpType.REMOVE, path, null), resource);
            return;
        }
        value = shapeValue(path, value);
        Filter filter = path.size() > 0 ? path.getElement(0).getValueFilter() : null;
        if (filter != null && path.size() == 2) {
            type = matches(resource, path.getElement(0).getAttribute(), filter) ? PatchOpType.REPLACE : PatchOpType.ADD;
        }
        if (ResourceShape.isUnassigned(value)) {
            // RFC 7643 section 2.5: assigning null or [] unassigns the attribute.
            if (type == PatchOpType.REPLACE) {
                run(PatchOps.sdkOperation(PatchOpType.REMOVE, path, null), resource);
            }
            return;
        }
        run(PatchOps.sdkOperation(type, path, value), resource);
    }

    private static JsonNode shapeValue(Path path, JsonNode value) {
        if (value == null) {
            return null;
        }
        AttributeDefinition definition = ScimSchemas.USER_TYPE.getAttributeDefinition(path);
        if (definition == null) {
            return value;
        }
        boolean selectsOneValue = path.getElement(path.size() - 1).getValueFilter() != null;
        if (definition.isMultiValued() && !selectsOneValue && path.size() == 1) {
            return ResourceShape.shape(value, definition);
        }
        if (definition.isMultiValued() && value.isArray()) {
            return ResourceShape.shape(value, definition);
        }
        JsonNode shaped = ResourceShape.shape(value, withoutMultiValue(definition));
        return shaped;
    }

    private static AttributeDefinition withoutMultiValue(AttributeDefinition definition) {
        if (!definition.isMultiValued()) {
            return definition;
        }
        AttributeDefinition.Builder builder = new AttributeDefinition.Builder().setName(definition.getName())
                .setType(definition.getType()).setMultiValued(false).setMutability(definition.getMutability());
        if (definition.getSubAttributes() != null) {
            builder.addSubAttributes(definition.getSubAttributes().toArray(AttributeDefinition[]::new));
        }
        return builder.build();
    }

    private static boolean matches(ObjectNode resource, String attribute, Filter filter) {
        JsonNode values = resource.get(attribute);
        if (!(values instanceof ArrayNode array)) {
            return false;
        }
        for (JsonNode value : array) {
            try {
                if (FilterEvaluator.evaluate(filter, value)) {
                    return true;
                }
            }
            catch (ScimException ex) {
                throw ScimError.of(ex);
            }
        }
        return false;
    }

    private static void run(PatchOperation operation, ObjectNode resource) {
        try {
            operation.apply(resource);
        }
        catch (ScimException ex) {
            throw ScimError.of(ex);
        }
    }
}
