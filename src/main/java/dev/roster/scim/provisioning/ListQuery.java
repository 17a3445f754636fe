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

    /**
     * The total a page implies without counting: a page that came back short and is not past the end is the last
     * one, so the total is what precedes it plus what it holds. Identity providers look each user up by a filter
     * that matches one or none, so this spares them a COUNT per look-up. Null when only a count can tell.
     */
    public Long totalFrom(int found) {
        return count > 0 && found < count && (found > 0 || offset() == 0) ? offset() + found : null;
    }
}
