package dev.roster.scim.provisioning;

import dev.roster.scim.protocol.FilterSql;

/**
 * One page of a SCIM list: the filter as SQL (null for all), the sort column from a fixed list, and the 1-based
 * start index and count of RFC 7644 section 3.4.2.4.
 */
public record ListQuery(FilterSql.Where where, String sortColumn, boolean descending, int startIndex, int count) {

    public long offset() {
        return startIndex - 1L;
    }
}
