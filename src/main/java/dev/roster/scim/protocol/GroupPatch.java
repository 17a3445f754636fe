package dev.roster.scim.protocol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.PatchOpType;

/**
 * A PatchOp request on a group, split into what it does to the members (applied in SQL, so a group of 100,000
 * members is never read to add one) and what it does to the other attributes (applied with the SDK). Member changes
 * arrive as {@code add members [..]}, {@code replace members [..]}, {@code remove members[value eq "id"]} with no
 * value (Okta, Entra with aadOptscim062020), {@code remove members} with a value list (Entra's default), a bare
 * {@code remove members} (all), and path-less values holding {@code members}. Several in one request apply in order.
 */
public final class GroupPatch {

    /** The net effect on members: cleared first when {@code replaceAll}, then {@code removed} and {@code added}. */
    public record MemberChanges(boolean replaceAll, Set<String> added, Set<String> removed) {

        public boolean isEmpty() {
            return !replaceAll && added.isEmpty() && removed.isEmpty();
        }
    }

    public record Result(ObjectNode attributes, MemberChanges members, boolean attributesChanged) {
    }

    private GroupPatch() {
    }

    public static Result apply(ObjectNode currentAttributes, ObjectNode body, String groupId) {
        List<PatchOps.Op> ops = PatchOps.parse(body, ScimSchemas.GROUP_TYPE, groupId);
        ObjectNode attributes = currentAttributes.deepCopy();
        boolean replaceAll = false;
        Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        boolean attributesChanged = false;
        for (PatchOps.Op op : ops) {
            if (op.targets("members")) {
                Path path = op.path();
                if (path.size() > 1) {
                    throw ScimError.badRequest(ScimError.INVALID_PATH,
                            "Members are changed as a whole: use the path 'members' or 'members[value eq \"id\"]'.");
                }
                Filter filter = path.getElement(0).getValueFilter();
                switch (op.type()) {
                    case ADD -> {
                        requireNoFilter(filter);
                        for (String id : memberIds(op.value())) {
                            removed.remove(id);
                            added.add(id);
                        }
                    }
                    case REPLACE -> {
                        requireNoFilter(filter);
                        replaceAll = true;
                        removed.clear();
                        added.clear();
                        added.addAll(memberIds(op.value()));
                    }
                    case REMOVE -> {
                        Set<String> ids = filter != null ? filteredIds(filter)
                                : op.value() == null || op.value().isNull() ? null : memberIds(op.value());
                        if (ids == null) {
                            replaceAll = true;
                            added.clear();
                            removed.clear();
                        }
                        else {
                            for (String id : ids) {
                                added.remove(id);
                                removed.add(id);
                            }
                        }
                    }
                }
                continue;
            }
            if (op.targets("id") || op.targets("meta") || op.targets("schemas")) {
                throw ScimError.badRequest(ScimError.MUTABILITY, "'" + op.path() + "' is read-only.");
            }
            applyAttribute(attributes, op);
            attributesChanged = true;
        }
        return new Result(attributes, new MemberChanges(replaceAll, added, removed), attributesChanged);
    }

    /** Member ids from a list of member objects, from {@code {"members": [..]}}, or from one member object. */
    public static Set<String> memberIds(JsonNode value) {
        Set<String> ids = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return ids;
        }
        JsonNode list = value.isObject() && value.has("members") ? value.get("members") : value;
        if (list.isObject() || list.isTextual()) {
            addId(list, ids);
        }
        else if (list.isArray()) {
            list.forEach(member -> addId(member, ids));
        }
        else {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "Members must be a list of {\"value\": \"<user id>\"}.");
        }
        return ids;
    }

    private static void addId(JsonNode member, Set<String> ids) {
        JsonNode value = member.isObject() ? member.get("value") : member;
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "Each member needs a 'value' with the user's id.");
        }
        ids.add(value.textValue().trim());
    }

    /** The ids a filter such as {@code value eq "a" or value eq "b"} selects among members. */
    private static Set<String> filteredIds(Filter filter) {
        Set<String> ids = new LinkedHashSet<>();
        collect(filter, ids);
        return ids;
    }

    private static void collect(Filter filter, Set<String> ids) {
        if (filter.getFilterType() == FilterType.OR) {
            filter.getCombinedFilters().forEach(f -> collect(f, ids));
            return;
        }
        if (filter.getFilterType() == FilterType.AND) {
            // value eq "x" and type eq "User": the value decides, and the type either holds for every member (all
            // are users) or for none. Any other condition next to the value is not something Roster can evaluate
            // here, and ignoring it would remove members the client did not select.
            List<Filter> values = filter.getCombinedFilters().stream().filter(GroupPatch::isValueEquality).toList();
            List<Filter> others = filter.getCombinedFilters().stream().filter(f -> !isValueEquality(f)).toList();
            if (values.size() == 1 && others.stream().allMatch(GroupPatch::isTypeEquality)) {
                if (others.stream().allMatch(f -> f.getComparisonValue().textValue().equalsIgnoreCase("User"))) {
                    collect(values.get(0), ids);
                }
                return;
            }
        }
        if (isValueEquality(filter) && filter.getComparisonValue().isTextual()) {
            ids.add(filter.getComparisonValue().textValue().trim());
            return;
        }
        throw ScimError.badRequest(ScimError.INVALID_FILTER,
                "Members are selected by their value, optionally with their type: members[value eq \"<user id>\"]"
                        + " or members[value eq \"<user id>\" and type eq \"User\"].");
    }

    private static boolean isTypeEquality(Filter filter) {
        return filter.getFilterType() == FilterType.EQUAL
                && filter.getAttributePath().size() == 1
                && "type".equalsIgnoreCase(filter.getAttributePath().getElement(0).getAttribute())
                && filter.getComparisonValue() != null && filter.getComparisonValue().isTextual();
    }

    private static boolean isValueEquality(Filter filter) {
        return filter.getFilterType() == FilterType.EQUAL
                && filter.getAttributePath().size() == 1
                && "value".equalsIgnoreCase(filter.getAttributePath().getElement(0).getAttribute());
    }

    private static void requireNoFilter(Filter filter) {
        if (filter != null) {
            throw ScimError.badRequest(ScimError.INVALID_PATH, "Add and replace of members take the path 'members'.");
        }
    }

    private static void applyAttribute(ObjectNode attributes, PatchOps.Op op) {
        Path path = ScimSchemas.GROUP_TYPE.normalizePath(op.path());
        JsonNode value = op.value();
        var definition = ScimSchemas.GROUP_TYPE.getAttributeDefinition(path);
        if (value != null && definition != null) {
            value = ResourceShape.shape(value, definition);
        }
        try {
            if (op.type() == PatchOpType.REMOVE) {
                PatchOps.sdkOperation(PatchOpType.REMOVE, path, null).apply(attributes);
            }
            else if (ResourceShape.isUnassigned(value)) {
                if (op.type() == PatchOpType.REPLACE) {
                    PatchOps.sdkOperation(PatchOpType.REMOVE, path, null).apply(attributes);
                }
            }
            else {
                // Add on a single-valued attribute replaces it (RFC 7644 section 3.5.2.1).
                PatchOps.sdkOperation(op.type(), path, value).apply(attributes);
            }
        }
        catch (ScimException ex) {
            throw ScimError.of(ex);
        }
    }
}
