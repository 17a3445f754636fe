package dev.roster.scim.web;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;
import com.unboundid.scim2.server.utils.ScimResourceTrimmer;

import dev.roster.scim.protocol.FilterSql;
import dev.roster.scim.protocol.PatchOps;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.provisioning.ListQuery;

/**
 * The query parameters of a SCIM list or search (RFC 7644 section 3.4.2), read from the query string or a
 * SearchRequest body: filter, paging, sorting and the attributes to return.
 */
record ListParams(String filter, int startIndex, int count, String sortBy, boolean descending, Set<Path> attributes,
                  boolean excluded) {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;

    /** Parameter names in any case ({@code startindex}, {@code Count}), as Microsoft's provisioning samples send them. */
    static ListParams fromQuery(Map<String, String> sent) {
        Map<String, String> query = anyCase(sent);
        return new ListParams(blankToNull(query.get("filter")), startIndex(query.get("startIndex")),
                count(query.get("count")), blankToNull(query.get("sortBy")), descending(query.get("sortOrder")),
                attributes(query.get("attributes"), query.get("excludedAttributes")),
                blankToNull(query.get("attributes")) == null);
    }

    static ListParams fromSearch(ObjectNode body) {
        return new ListParams(text(body, "filter"), startIndex(text(body, "startIndex")), count(text(body, "count")),
                text(body, "sortBy"), descending(text(body, "sortOrder")),
                attributes(list(body, "attributes"), list(body, "excludedAttributes")),
                list(body, "attributes") == null);
    }

    /** Just the attribute selection, for single resources (GET, and the answers to POST, PUT and PATCH). */
    static ListParams attributesOnly(Map<String, String> sent) {
        Map<String, String> query = anyCase(sent);
        return new ListParams(null, 1, DEFAULT_COUNT, null, false,
                attributes(query.get("attributes"), query.get("excludedAttributes")),
                blankToNull(query.get("attributes")) == null);
    }

    boolean selectsAttributes() {
        return !attributes.isEmpty();
    }

    ScimResourceTrimmer trimmer(ResourceTypeDefinition type) {
        Set<Path> normalized = new LinkedHashSet<>();
        attributes.forEach(path -> normalized.add(type.normalizePath(path).withoutFilters()));
        return new ScimResourceTrimmer(type, Set.of(), normalized, excluded);
    }

    /** Whether the answer includes the named top-level attribute (members of a group are only read when it does). */
    boolean returns(String attribute) {
        boolean named = attributes.stream().anyMatch(p -> !p.isRoot()
                && attribute.equalsIgnoreCase(p.getElement(0).getAttribute()));
        if (attributes.isEmpty()) {
            return true;
        }
        return excluded != named;
    }

    ListQuery query(FilterSql.Kind kind) {
        FilterSql.Where where = null;
        if (filter != null) {
            var parsed = FilterSql.parse(filter);
            where = kind == FilterSql.Kind.USER ? FilterSql.users(parsed) : FilterSql.groups(parsed);
        }
        return new ListQuery(where, sortColumn(kind), descending, startIndex, count);
    }

    private String sortColumn(FilterSql.Kind kind) {
        if (sortBy == null) {
            return "created_at";
        }
        String attribute = sortBy.trim().toLowerCase(Locale.ROOT);
        String core = (kind == FilterSql.Kind.USER ? "urn:ietf:params:scim:schemas:core:2.0:user:"
                : "urn:ietf:params:scim:schemas:core:2.0:group:");
        if (attribute.startsWith(core)) {
            attribute = attribute.substring(core.length());
        }
        String column = switch (attribute) {
            case "id" -> "id";
            case "externalid" -> "external_id";
            case "meta.created" -> "created_at";
            case "meta.lastmodified" -> "updated_at";
            case "displayname" -> "display_name_normalized";
            case "username" -> kind == FilterSql.Kind.USER ? "user_name_normalized" : null;
            default -> null;
        };
        if (column == null) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "Sorting by '" + sortBy + "' is not supported; sort by "
                    + (kind == FilterSql.Kind.USER ? "userName, " : "") + "displayName, externalId, id, meta.created or "
                    + "meta.lastModified.");
        }
        return column;
    }

    private static int startIndex(String value) {
        // RFC 7644 section 3.4.2.4: a value less than 1 is interpreted as 1.
        return Math.max(1, integer("startIndex", value, 1));
    }

    private static int count(String value) {
        // A negative count is 0; more than the cap is answered with at most the cap (itemsPerPage says so).
        return Math.min(MAX_COUNT, Math.max(0, integer("count", value, DEFAULT_COUNT)));
    }

    private static int integer(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
        }
        catch (NumberFormatException ex) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, name + " must be an integer.");
        }
    }

    private static boolean descending(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("ascending")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("descending")) {
            return true;
        }
        throw ScimError.badRequest(ScimError.INVALID_VALUE, "sortOrder is ascending or descending.");
    }

    private static Set<Path> attributes(String attributes, String excludedAttributes) {
        String list = blankToNull(attributes) != null ? attributes : excludedAttributes;
        Set<Path> paths = new LinkedHashSet<>();
        if (blankToNull(list) == null) {
            return paths;
        }
        if (list.length() > 2048) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "The attribute list is too long.");
        }
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                try {
                    paths.add(PatchOps.path(part.trim()));
                }
                catch (ScimError ex) {
                    throw ScimError.badRequest(ScimError.INVALID_VALUE, "'" + part.trim()
                            + "' is not a valid attribute name.");
                }
            }
        }
        return paths;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, field + " must be a single value.");
        }
        return value.asText();
    }

    private static String list(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            value.forEach(v -> joined.append(joined.isEmpty() ? "" : ",").append(v.asText()));
            return joined.isEmpty() ? null : joined.toString();
        }
        return value.asText();
    }

    private static Map<String, String> anyCase(Map<String, String> query) {
        Map<String, String> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        query.forEach(names::putIfAbsent);
        return names;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
