package dev.roster.membership;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.roster.shared.web.WireNames;

/**
 * A member as the API shows it, and as events carry it ({@code data} of {@code member.*}). {@code teams} lists every
 * team with the sources that grant it; a team whose grant comes from a directory (SSO or SCIM) is
 * {@code managedByDirectory}, and only the directory can take it away. The admin flag is shown the same way:
 * {@code adminSources} are the sources that grant it (empty for a member who is no admin), and
 * {@code adminManagedByDirectory} says a directory does, so a client knows before it asks that a demotion withdraws
 * only the manual grant, or is refused ({@code 409 managed-by-directory}) when there is none.
 */
public record MemberView(UUID id, UUID accountId, String email, String displayName, boolean admin,
                         List<String> adminSources, boolean adminManagedByDirectory, String status, String source,
                         List<TeamGrantView> teams, Instant joinedAt) {

    public record TeamGrantView(UUID id, String name, List<String> sources, boolean managedByDirectory,
                                String role) {

        public static TeamGrantView of(TeamGrant grant) {
            return new TeamGrantView(grant.teamId(), grant.teamName(), wireNames(grant.sources()),
                    grant.managedByDirectory(), WireNames.of(grant.role()));
        }
    }

    public static MemberView of(Member member) {
        return new MemberView(member.id(), member.accountId(), member.email(), member.displayName(), member.admin(),
                wireNames(member.adminSources()), member.adminManagedByDirectory(), WireNames.of(member.status()),
                WireNames.of(member.source()), member.teams().stream().map(TeamGrantView::of).toList(),
                member.joinedAt());
    }

    /** Sources in their declared order (manual, sso, scim), so the same grants always read the same. */
    private static List<String> wireNames(Collection<GrantSource> sources) {
        return sources.stream().sorted(Comparator.naturalOrder()).map(WireNames::of).toList();
    }
}
