package dev.roster.membership.web;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.roster.membership.GrantSource;
import dev.roster.membership.Member;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamGrant;
import dev.roster.shared.web.WireNames;

/** How the pages name a member's source, status, admin role and team grants (the API uses WireNames). */
final class MemberLabels {

    private MemberLabels() {
    }

    /**
     * How a member joined. A directory's name is said as a way in ("Joined via SCIM"), because the same name beside
     * "Admin" says where the role comes from ("via SCIM"), and a SCIM-joined admin of SCIM would otherwise show two
     * identical badges.
     */
    static String source(MembershipSource source) {
        return switch (source) {
            case INVITATION -> "Invited";
            case SSO -> "Joined via SSO";
            case SCIM -> "Joined via SCIM";
            case BOOTSTRAP -> "Bootstrap";
        };
    }

    static String sourceHint(MembershipSource source) {
        return switch (source) {
            case INVITATION -> "Joined through an invitation";
            case SSO -> "Joined by signing in through single sign-on";
            case SCIM -> "Added by the identity provider's directory (SCIM)";
            case BOOTSTRAP -> "Created when Roster was set up";
        };
    }

    static String status(MembershipStatus status) {
        return switch (status) {
            case ACTIVE -> "Active";
            case SUSPENDED -> "Suspended";
            case REMOVED -> "Removed";
        };
    }

    /** The directories that hold a grant, as "SSO", "SCIM" or "SSO and SCIM"; empty when only an admin does. */
    static String directories(Set<GrantSource> sources) {
        List<String> names = sources.stream().filter(GrantSource::isDirectory).sorted().map(Enum::name).toList();
        return String.join(" and ", names);
    }

    /**
     * The badge of something a directory gives, the admin role or a team: "via SCIM", "via SSO and SCIM", and, with
     * an admin's grant too, "by hand and via SCIM" or "by hand, via SSO and SCIM" (one "and" to a phrase). The role
     * and the teams say it in the same words, so a badge reads the same wherever it stands, and none of them is a
     * bare "SCIM" that could be taken for the way the member joined ("Joined via SCIM"). Empty when only an admin
     * gave it, the usual case, which needs no badge.
     */
    static String viaBadge(boolean manual, String directories) {
        if (directories.isEmpty()) {
            return "";
        }
        if (!manual) {
            return "via " + directories;
        }
        return (directories.contains(" and ") ? "by hand, via " : "by hand and via ") + directories;
    }

    /**
     * The admin role as one member holds it, told as a team grant is: whether an admin gave it here by hand, and the
     * directories that give it. Empty for a member who is no admin.
     */
    record AdminRole(boolean manual, String directories) {

        static AdminRole of(Member member) {
            return new AdminRole(member.adminSources().contains(GrantSource.MANUAL),
                    MemberLabels.directories(member.adminSources()));
        }

        public boolean managedByDirectory() {
            return !directories.isEmpty();
        }

        /**
         * Only a directory gives it: taking it away here is refused ({@code managed-by-directory}, the directory would
         * give it straight back), so the pages offer no demotion and say where to change it instead. They offer to
         * keep the member an admin after the directory stops (an admin's grant added to the directory's).
         */
        public boolean onlyByDirectory() {
            return managedByDirectory() && !manual;
        }

        /** The badge after "Admin" when a directory gives the role ({@link MemberLabels#viaBadge}). */
        public String badge() {
            return viaBadge(manual, directories);
        }

        /** The badge's tooltip, in words. */
        public String badgeHint() {
            return (manual ? "Admin given here by hand and through the identity provider ("
                    : "Admin through the identity provider (") + directories + ")";
        }
    }

    /** A team as one member holds it: who put them there, and whether an admin's removal would take them out. */
    record Grant(UUID teamId, String teamName, boolean manual, String directories) {

        static Grant of(TeamGrant grant) {
            return new Grant(grant.teamId(), grant.teamName(), grant.sources().contains(GrantSource.MANUAL),
                    MemberLabels.directories(grant.sources()));
        }

        public boolean managedByDirectory() {
            return !directories.isEmpty();
        }

        /** The badge after the team's name when a directory gives the place, as the admin role's reads. */
        public String badge() {
            return viaBadge(manual, directories);
        }

        /** The badge's tooltip, in words, as the admin role's says it. */
        public String badgeHint() {
            return "In " + teamName + (manual ? " by hand and through the identity provider ("
                    : " through the identity provider (") + directories + ")";
        }
    }
}
