package dev.roster.scim.protocol;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;

/**
 * Checks that a PATCH path names attributes the resource type defines (RFC 7644 section 3.5.2: an invalid path is
 * {@code invalidPath}), down to the attributes its value filter compares, so {@code remove
 * members[value eq "U" and bogus eq "y"]} is refused instead of removing U, and {@code remove bogus} instead of
 * answering 200 for nothing. Paths into extension namespaces Roster does not define are not checked: those
 * namespaces are stored as sent.
 */
public final class AttributePaths {

    private AttributePaths() {
    }

    public static void requireDefined(Path path, ResourceTypeDefinition type, String scimType) {
        if (path.isRoot()) {
            return;
        }
        String urn = path.getSchemaUrn();
        boolean core = urn == null || urn.equalsIgnoreCase(type.getCoreSchema().getId());
        if (!core && ResourceShape.extension(type, urn).isEmpty()) {
            return;
        }
        if (core && path.size() == 1 && path.getElement(0).getAttribute().equalsIgnoreCase("schemas")) {
            // Not an attribute of any schema, but a read-only one every resource has: the caller says so.
            return;
        }
        Path.Element first = path.getElement(0);
        Path top = (core ? Path.root() : Path.root(urn)).attribute(first.getAttribute());
        AttributeDefinition attribute = type.getAttributeDefinition(top);
        if (attribute == null) {
            throw ScimError.badRequest(scimType, "'" + path + "': " + (core ? "the " + type.getName()
                    + " resource" : "the schema " + urn) + " has no attribute '" + first.getAttribute() + "'.");
        }
        if (path.size() > 2) {
            throw ScimError.badRequest(scimType, "'" + path + "' goes deeper than an attribute and one sub-attribute"
                    + " (such as name.givenName), which is as deep as SCIM paths go.");
        }
        Filter filter = first.getValueFilter();
        if (filter != null) {
            if (!attribute.isMultiValued()) {
                throw ScimError.badRequest(scimType, "'" + path + "' filters '" + attribute.getName()
                        + "', which holds a single value; a filter [...] selects among the values of a multi-valued"
                        + " attribute such as emails.");
            }
            requireSubAttributes(filter, top, attribute, type, scimType, path);
        }
        if (path.size() == 2) {
            Path.Element second = path.getElement(1);
            if (second.getValueFilter() != null) {
                throw ScimError.badRequest(scimType, "'" + path + "' filters a sub-attribute; only the attribute"
                        + " before the '.' can be filtered.");
            }
            if (type.getAttributeDefinition(top.attribute(second.getAttribute())) == null) {
                throw ScimError.badRequest(scimType, "'" + path + "': '" + attribute.getName()
                        + "' has no sub-attribute '" + second.getAttribute() + "'" + subAttributes(attribute) + ".");
            }
        }
    }

    /** Every attribute a value filter compares must be a sub-attribute of the filtered attribute. */
    private static void requireSubAttributes(Filter filter, Path top, AttributeDefinition attribute,
                                             ResourceTypeDefinition type, String scimType, Path path) {
        if (filter.isCombiningFilter()) {
            filter.getCombinedFilters().forEach(f -> requireSubAttributes(f, top, attribute, type, scimType, path));
            return;
        }
        if (filter.isNotFilter()) {
            requireSubAttributes(filter.getInvertedFilter(), top, attribute, type, scimType, path);
            return;
        }
        Path compared = filter.getAttributePath();
        boolean known = compared != null && compared.getSchemaUrn() == null && compared.size() == 1
                && compared.getElement(0).getValueFilter() == null
                && type.getAttributeDefinition(top.attribute(compared.getElement(0).getAttribute())) != null;
        if (!known) {
            throw ScimError.badRequest(scimType, "The filter in '" + path + "' compares '" + compared + "', which is"
                    + " not a sub-attribute of '" + attribute.getName() + "'" + subAttributes(attribute) + ".");
        }
    }

    private static String subAttributes(AttributeDefinition attribute) {
        if (attribute.getSubAttributes() == null || attribute.getSubAttributes().isEmpty()) {
            return "";
        }
        return "; its sub-attributes are " + String.join(", ", attribute.getSubAttributes().stream()
                .map(AttributeDefinition::getName).toList());
    }
}
