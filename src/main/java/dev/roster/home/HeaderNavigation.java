package dev.roster.home;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.OrgAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterUser;

/**
 * Builds the page header's {@link Navigation}; the header fragment calls it as {@code @navigation} while it renders,
 * so every page that shows a header has one (error pages too) and htmx fragments, which have none, cost nothing.
 * Read fresh from the database like everything else that can change: a new display name or membership shows on the
 * very next page.
 */
@Component("navigation")
public class HeaderNavigation {

    private static final String SIGNED_IN = "ROSTER_USER";

    private final AccountService accounts;
    private final MemberReads members;

    HeaderNavigation(AccountService accounts, MemberReads members) {
        this.accounts = accounts;
        this.members = members;
    }

    /**
     * The navigation of a fully signed-in person, or null for anyone else; {@code page} is the page's {@code org}
     * (an {@link OrgContext}) when it belongs to an organization.
     */
    public Navigation of(Authentication authentication, Object page) {
        if (authentication == null || !(authentication.getPrincipal() instanceof RosterUser user)
                || authentication.getAuthorities().stream().noneMatch(a -> SIGNED_IN.equals(a.getAuthority()))) {
            return null;
        }
        List<OrgAccess> organizations = members.activeOrganizations(user.accountId());
        OrgAccess current = page instanceof OrgContext org ? organizations.stream()
                .filter(o -> o.organizationId().equals(org.organizationId())).findFirst().orElse(null) : null;
        String name = accounts.find(user.accountId()).map(account -> account.displayName()).orElse(user.email());
        return new Navigation(name, organizations, current);
    }
}
