package dev.roster.sso.idp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lookups in IdPs' APIs (the Okta API, Microsoft Graph) at sign-in; documented in docs/configuration.md. The deadline
 * of one whole lookup (15 s) is fixed: {@link OktaGroupsClient#DEADLINE}, {@link EntraGraph#DEADLINE}.
 *
 * @param maxConcurrentPerOrganization how many lookups one organization may have running at once on an instance,
 *                                     over all its connections; past it a lookup is refused at once
 *                                     ({@link LookupsPerOrganization})
 */
@ConfigurationProperties("roster.sso.group-lookup")
record GroupLookupProperties(@DefaultValue("20") int maxConcurrentPerOrganization) {

    /** As {@code @DefaultValue} gives them, for clients built outside Spring (tests). */
    static GroupLookupProperties defaults() {
        return new GroupLookupProperties(20);
    }
}
