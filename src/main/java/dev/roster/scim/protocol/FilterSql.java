package dev.roster.scim.protocol;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ValueNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;

import dev.roster.shared.Ids;

/**
 * Turns a SCIM filter (RFC 7644 section 3.4.2.2), parsed by the SDK, into a parameterised SQL condition on indexed
 * columns, so a search never loads rows to filter them in memory. Filters on attributes without such a column are
 * refused with {@code invalidFilter} rather than answered wrongly. Every condition is two-valued (never SQL NULL), so
 * {@code not} means what SCIM says it means.
 */
public final class FilterSql {

    public static final int MAX_LENGTH = 2048;
    public static final int MAX_DEPTH = 10;

    /** A condition with its named parameters. */
    public record Where(String sql, Map<String, Object> params) {
    }

    public enum Kind { USER, GROUP }

    private final Kind kind;
    private final Map<String, Object> params = new HashMap<>();
    private int next;

    private FilterSql(Kind kind) {
        this.kind = kind;
    }

    /**
     * Parses a filter within the length and nesting caps; malformed filters are {@code invalidFilter}. Every
     * parenthesis and bracket counts against the nesting cap, and an unclosed one is refused, before the SDK reads the
     * filter (it accepts both).
     */
    public static Filter parse(String text) {
        if (text.indexOf('\u0000') >= 0) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, "A filter cannot contain the character U+0000.");
        }
        if (text.length() > MAX_LENGTH) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER,
                    "A filter has at most " + MAX_LENGTH + " characters.");
        }
        Nesting.check(text, ScimError.INVALID_FILTER, "filter", MAX_DEPTH);
        String rewritten = valuePathComparisons(text);
        Filter filter;
        try {
            filter = Filter.fromString(rewritten);
        }
        catch (BadRequestException ex) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, unreadable(ex.getMessage(), rewritten.equals(text)));
        }
        catch (RuntimeException ex) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, unreadable(null, false));
        }
        if (depth(filter) > MAX_DEPTH) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER,
                    "A filter nests at most " + MAX_DEPTH + " levels deep.");
        }
        return filter;
    }

    private static final Pattern OPERATOR = Pattern.compile("Unrecognized attribute operator '([^']{1,40})'");
    private static final Pattern POSITION = Pattern.compile("at position (\\d{1,4})");

    /**
     * What an admin is told about a filter the SDK cannot read: the operator it did not know, or where it stopped
     * reading, and what a filter looks like. The SDK's own text is never passed on (it carries Jackson's parser
     * messages).
     */
    private static String unreadable(String sdkMessage, boolean positionsHold) {
        String shape = " A filter is attribute operator value, such as userName eq \"ada@example.com\", with strings in"
                + " double quotes, joined with and, or, not and parentheses (RFC 7644 section 3.4.2.2).";
        if (sdkMessage != null) {
            Matcher operator = OPERATOR.matcher(sdkMessage);
            if (operator.find()) {
                return "'" + operator.group(1) + "' is not a filter operator; use eq, ne, co, sw, ew, gt, ge, lt, le"
                        + " or pr." + shape;
            }
            Matcher position = POSITION.matcher(sdkMessage);
            if (positionsHold && position.find()) {
                return "The filter could not be read from character " + (Integer.parseInt(position.group(1)) + 1)
                        + " on." + shape;
            }
        }
        return "The filter could not be read." + shape;
    }

    private static final Pattern SUB_COMPARISON = Pattern.compile(
            "\\.([A-Za-z][A-Za-z0-9_$-]*)\\s+(?:(pr)\\b|(eq|ne|co|sw|ew|gt|lt|ge|le)\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s()]+))",
            Pattern.CASE_INSENSITIVE);

    /**
     * Entra filters on {@code emails[type eq "work"].value eq "x"}, a form outside RFC 7644's filter grammar that
     * means {@code emails[type eq "work" and value eq "x"]}; it is rewritten to that before parsing.
     */
    static String valuePathComparisons(String text) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        int open = -1;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (!quoted && c == '[') {
                if (depth++ == 0) {
                    open = out.length();
                }
            }
            if (!quoted && c == ']' && depth > 0 && --depth == 0) {
                Matcher sub = SUB_COMPARISON.matcher(text).region(i + 1, text.length());
                if (sub.lookingAt()) {
                    String inner = out.substring(open + 1);
                    String comparison = sub.group(2) != null ? sub.group(1) + " pr"
                            : sub.group(1) + " " + sub.group(3) + " " + sub.group(4);
                    out.setLength(open + 1);
                    out.append('(').append(inner).append(") and ").append(comparison).append(']');
                    i = sub.end() - 1;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Users are aliased {@code u} in the query this condition joins. */
    public static Where users(Filter filter) {
        FilterSql sql = new FilterSql(Kind.USER);
        return new Where(sql.condition(filter), sql.params);
    }

    /** Groups are aliased {@code g} in the query this condition joins. */
    public static Where groups(Filter filter) {
        FilterSql sql = new FilterSql(Kind.GROUP);
        return new Where(sql.condition(filter), sql.params);
    }

    private static int depth(Filter filter) {
        if (filter.isCombiningFilter()) {
            return 1 + filter.getCombinedFilters().stream().mapToInt(FilterSql::depth).max().orElse(0);
        }
        if (filter.isNotFilter()) {
            return 1 + depth(filter.getInvertedFilter());
        }
        if (filter.isComplexValueFilter()) {
            return 1 + depth(filter.getValueFilter());
        }
        return 1;
    }

    private String condition(Filter filter) {
        switch (filter.getFilterType()) {
            case AND, OR -> {
                String joiner = filter.getFilterType() == FilterType.AND ? " AND " : " OR ";
                List<String> parts = filter.getCombinedFilters().stream().map(this::condition).toList();
                return "(" + String.join(joiner, parts) + ")";
            }
            case NOT -> {
                return "(NOT " + condition(filter.getInvertedFilter()) + ")";
            }
            case COMPLEX_VALUE -> {
                return complex(filter.getAttributePath(), filter.getValueFilter());
            }
            default -> {
                return leaf(filter);
            }
        }
    }

    /** {@code emails[type eq "work" and value eq "x"]} or {@code members[value eq "id"]}. */
    private String complex(Path path, Filter inner) {
        String attribute = attributeName(path);
        if (kind == Kind.USER && attribute.equals("emails")) {
            return "EXISTS (SELECT 1 FROM scim_user_email e WHERE e.user_id = u.id AND " + emailCondition(inner) + ")";
        }
        if (kind == Kind.GROUP && attribute.equals("members")) {
            return "EXISTS (SELECT 1 FROM scim_group_member m WHERE m.group_id = g.id AND " + memberCondition(inner)
                    + ")";
        }
        throw unsupported(path.toString());
    }

    private String leaf(Filter filter) {
        Path path = filter.getAttributePath();
        if (path.size() > 0 && path.getElement(0).getValueFilter() != null) {
            // emails[type eq "work"].value eq "x": the element filter and the comparison on its sub-attribute.
            Filter elementFilter = path.getElement(0).getValueFilter();
            Path subPath = Path.root().attribute(path.getElement(0).getAttribute());
            for (int i = 1; i < path.size(); i++) {
                subPath = subPath.attribute(path.getElement(i).getAttribute());
            }
            Filter comparison = rebuild(filter, subPath);
            String attribute = attributeName(subPath);
            if (kind == Kind.USER && attribute.startsWith("emails")) {
                return "EXISTS (SELECT 1 FROM scim_user_email e WHERE e.user_id = u.id AND "
                        + emailCondition(elementFilter) + " AND " + emailLeaf(comparison, subAttribute(subPath)) + ")";
            }
            if (kind == Kind.GROUP && attribute.startsWith("members")) {
                return "EXISTS (SELECT 1 FROM scim_group_member m WHERE m.group_id = g.id AND "
                        + memberCondition(elementFilter) + " AND " + memberLeaf(comparison, subAttribute(subPath))
                        + ")";
            }
            throw unsupported(path.toString());
        }
        String attribute = attributeName(path);
        if (kind == Kind.USER) {
            return switch (attribute) {
                case "id" -> idCondition("u.id", filter);
                case "username" -> stringCondition("u.user_name_normalized", trimmed(filter), false, false);
                case "externalid" -> stringCondition("u.external_id", filter, true, true);
                case "displayname" -> stringCondition("u.display_name_normalized", filter, false, true);
                case "active" -> booleanCondition("u.active", filter);
                case "meta.created" -> dateCondition("u.created_at", filter);
                case "meta.lastmodified" -> dateCondition("u.updated_at", filter);
                case "emails", "emails.value", "emails.type", "emails.primary" ->
                        "EXISTS (SELECT 1 FROM scim_user_email e WHERE e.user_id = u.id AND "
                                + emailLeaf(filter, attribute.equals("emails") ? "value"
                                : attribute.substring("emails.".length())) + ")";
                default -> throw unsupported(path.toString());
            };
        }
        return switch (attribute) {
            case "id" -> idCondition("g.id", filter);
            case "displayname" -> stringCondition("g.display_name_normalized", filter, false, false);
            case "externalid" -> stringCondition("g.external_id", filter, true, true);
            case "meta.created" -> dateCondition("g.created_at", filter);
            case "meta.lastmodified" -> dateCondition("g.updated_at", filter);
            case "members", "members.value" -> filter.getFilterType() == FilterType.PRESENT
                    ? "EXISTS (SELECT 1 FROM scim_group_member m WHERE m.group_id = g.id)"
                    : "EXISTS (SELECT 1 FROM scim_group_member m WHERE m.group_id = g.id AND "
                            + memberLeaf(filter, "value") + ")";
            default -> throw unsupported(path.toString());
        };
    }

    private String emailCondition(Filter filter) {
        return switch (filter.getFilterType()) {
            case AND, OR -> "(" + String.join(filter.getFilterType() == FilterType.AND ? " AND " : " OR ",
                    filter.getCombinedFilters().stream().map(this::emailCondition).toList()) + ")";
            case NOT -> "(NOT " + emailCondition(filter.getInvertedFilter()) + ")";
            case COMPLEX_VALUE -> throw unsupported(filter.toString());
            default -> emailLeaf(filter, attributeName(filter.getAttributePath()));
        };
    }

    private String emailLeaf(Filter filter, String subAttribute) {
        return switch (subAttribute) {
            case "value" -> stringCondition("e.value_normalized", filter, false, false);
            case "type" -> stringCondition("e.type_normalized", filter, false, true);
            case "primary" -> booleanCondition("e.is_primary", filter);
            default -> throw unsupported("emails." + subAttribute);
        };
    }

    private String memberCondition(Filter filter) {
        return switch (filter.getFilterType()) {
            case AND, OR -> "(" + String.join(filter.getFilterType() == FilterType.AND ? " AND " : " OR ",
                    filter.getCombinedFilters().stream().map(this::memberCondition).toList()) + ")";
            case NOT -> "(NOT " + memberCondition(filter.getInvertedFilter()) + ")";
            case COMPLEX_VALUE -> throw unsupported(filter.toString());
            default -> memberLeaf(filter, attributeName(filter.getAttributePath()));
        };
    }

    private String memberLeaf(Filter filter, String subAttribute) {
        if (subAttribute.equals("value")) {
            return idCondition("m.user_id", filter);
        }
        if (subAttribute.equals("type") && filter.getFilterType() == FilterType.EQUAL) {
            // Roster's groups hold users only.
            return text(filter).equalsIgnoreCase("User") ? "1 = 1" : "1 = 0";
        }
        throw unsupported("members." + subAttribute);
    }

    private String idCondition(String column, Filter filter) {
        FilterType type = filter.getFilterType();
        if (type == FilterType.PRESENT) {
            return "1 = 1";
        }
        if (type != FilterType.EQUAL && type != FilterType.NOT_EQUAL) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, "Ids are compared with eq or ne.");
        }
        Optional<UUID> id = Ids.parse(text(filter).toLowerCase(Locale.ROOT));
        if (id.isEmpty()) {
            // An id Roster never issued matches nothing (Entra's Test Connection probes with random values).
            return type == FilterType.EQUAL ? "1 = 0" : "1 = 1";
        }
        String param = param(id.get());
        return type == FilterType.EQUAL ? column + " = :" + param : column + " <> :" + param;
    }

    private String stringCondition(String column, Filter filter, boolean caseExact, boolean nullable) {
        FilterType type = filter.getFilterType();
        if (type == FilterType.PRESENT) {
            return nullable ? "(" + column + " IS NOT NULL)" : "1 = 1";
        }
        String value = text(filter);
        if (!caseExact) {
            value = value.toLowerCase(Locale.ROOT);
        }
        String guard = nullable ? column + " IS NOT NULL AND " : "";
        return switch (type) {
            case EQUAL -> "(" + guard + column + " = :" + param(value) + ")";
            case NOT_EQUAL -> nullable ? "(" + column + " IS NULL OR " + column + " <> :" + param(value) + ")"
                    : "(" + column + " <> :" + param(value) + ")";
            case CONTAINS -> "(" + guard + column + " LIKE :" + param("%" + escapeLike(value) + "%") + " ESCAPE '\\')";
            case STARTS_WITH -> "(" + guard + column + " LIKE :" + param(escapeLike(value) + "%") + " ESCAPE '\\')";
            case ENDS_WITH -> "(" + guard + column + " LIKE :" + param("%" + escapeLike(value)) + " ESCAPE '\\')";
            case GREATER_THAN -> "(" + guard + column + " > :" + param(value) + ")";
            case GREATER_OR_EQUAL -> "(" + guard + column + " >= :" + param(value) + ")";
            case LESS_THAN -> "(" + guard + column + " < :" + param(value) + ")";
            case LESS_OR_EQUAL -> "(" + guard + column + " <= :" + param(value) + ")";
            default -> throw ScimError.badRequest(ScimError.INVALID_FILTER, "Unsupported operator " + type + ".");
        };
    }

    private String booleanCondition(String column, Filter filter) {
        FilterType type = filter.getFilterType();
        if (type == FilterType.PRESENT) {
            return "1 = 1";
        }
        ValueNode value = filter.getComparisonValue();
        Boolean wanted = null;
        if (value != null && value.isBoolean()) {
            wanted = value.booleanValue();
        }
        else if (value != null && value.isTextual()
                && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
            wanted = Boolean.parseBoolean(value.textValue().toLowerCase(Locale.ROOT));
        }
        if (wanted == null || (type != FilterType.EQUAL && type != FilterType.NOT_EQUAL)) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, "Booleans are compared with eq or ne and true or false.");
        }
        return "(" + column + (type == FilterType.EQUAL ? " = :" : " <> :") + param(wanted) + ")";
    }

    private String dateCondition(String column, Filter filter) {
        FilterType type = filter.getFilterType();
        if (type == FilterType.PRESENT) {
            return "1 = 1";
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text(filter)).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, "'" + text(filter)
                    + "' is not an xsd:dateTime such as 2026-01-31T12:00:00Z.");
        }
        String operator = switch (type) {
            case EQUAL -> " = ";
            case NOT_EQUAL -> " <> ";
            case GREATER_THAN -> " > ";
            case GREATER_OR_EQUAL -> " >= ";
            case LESS_THAN -> " < ";
            case LESS_OR_EQUAL -> " <= ";
            default -> throw ScimError.badRequest(ScimError.INVALID_FILTER, "Dates are compared with eq, ne, gt, ge, lt or le.");
        };
        return "(" + column + operator + ":" + param(Timestamp.from(instant)) + ")";
    }

    /**
     * userNames are stored trimmed, so comparisons of the whole value ({@code eq}, {@code ne}, ordering) trim the
     * compared value too: {@code userName eq " ada@example.com "} finds the user created with those spaces.
     * Substring operators compare the value as sent.
     */
    private static Filter trimmed(Filter filter) {
        ValueNode value = filter.getComparisonValue();
        if (value == null || !value.isTextual() || value.textValue().trim().equals(value.textValue())) {
            return filter;
        }
        ValueNode stripped = ScimJson.nodes().textNode(value.textValue().trim());
        Path path = filter.getAttributePath();
        return switch (filter.getFilterType()) {
            case EQUAL -> Filter.eq(path, stripped);
            case NOT_EQUAL -> Filter.ne(path, stripped);
            case GREATER_THAN -> Filter.gt(path, stripped);
            case GREATER_OR_EQUAL -> Filter.ge(path, stripped);
            case LESS_THAN -> Filter.lt(path, stripped);
            case LESS_OR_EQUAL -> Filter.le(path, stripped);
            default -> filter;
        };
    }

    private static String text(Filter filter) {
        ValueNode value = filter.getComparisonValue();
        if (value == null || value.isNull()) {
            throw ScimError.badRequest(ScimError.INVALID_FILTER, "The filter compares with null; use 'pr' instead.");
        }
        return value.isTextual() ? value.textValue() : value.asText();
    }

    /** The attribute a path names, lower-case, without the core schema URN: {@code username}, {@code meta.created}. */
    private String attributeName(Path path) {
        String urn = path.getSchemaUrn();
        if (urn != null && !urn.equalsIgnoreCase(kind == Kind.USER ? ScimSchemas.USER : ScimSchemas.GROUP)) {
            throw unsupported(path.toString());
        }
        StringBuilder name = new StringBuilder();
        for (Path.Element element : path) {
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(element.getAttribute().toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static String subAttribute(Path path) {
        return path.size() > 1 ? path.getElement(1).getAttribute().toLowerCase(Locale.ROOT) : "value";
    }

    private static Filter rebuild(Filter filter, Path path) {
        ValueNode value = filter.getComparisonValue();
        return switch (filter.getFilterType()) {
            case EQUAL -> Filter.eq(path, value);
            case NOT_EQUAL -> Filter.ne(path, value);
            case CONTAINS -> Filter.co(path, value);
            case STARTS_WITH -> Filter.sw(path, value);
            case ENDS_WITH -> Filter.ew(path, value);
            case GREATER_THAN -> Filter.gt(path, value);
            case GREATER_OR_EQUAL -> Filter.ge(path, value);
            case LESS_THAN -> Filter.lt(path, value);
            case LESS_OR_EQUAL -> Filter.le(path, value);
            case PRESENT -> Filter.pr(path);
            default -> throw ScimError.badRequest(ScimError.INVALID_FILTER, "Unsupported filter " + filter + ".");
        };
    }

    private String param(Object value) {
        String name = "f" + next++;
        params.put(name, value);
        return name;
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private ScimError unsupported(String attribute) {
        String supported = kind == Kind.USER
                ? "id, userName, externalId, displayName, active, emails (value, type, primary), meta.created, meta.lastModified"
                : "id, displayName, externalId, members (value), meta.created, meta.lastModified";
        return ScimError.badRequest(ScimError.INVALID_FILTER, "Filtering on '" + attribute
                + "' is not supported. Filterable attributes: " + supported + ".");
    }
}
