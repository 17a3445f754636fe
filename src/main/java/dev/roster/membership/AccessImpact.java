package dev.roster.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a change to an identity provider's group mappings or access grants would do, worked out before it is made so
 * that an admin sees its effect first: who joins or leaves which team, who becomes or stops being an admin, and who
 * would be let into the organization. A directory only adds and removes grants of its own {@link GrantSource}, so a
 * member in a team through another source neither joins nor leaves it; {@code notes} say what cannot be known in
 * advance. {@code timing} says when the change reaches people ("When they next sign in through Okta"), or is null
 * when it applies at once.
 */
public record AccessImpact(List<TeamChange> teams, List<Person> becomeAdmin, List<Person> loseAdmin,
                           List<Person> admitted, String timing, List<String> notes) {

    /** Someone the change concerns; {@code detail} adds what helps to recognise the case ("suspended"). */
    public record Person(UUID membershipId, String name, String email, String detail) {

        static Person of(Member member) {
            return new Person(member.id(), member.displayName(), member.email(),
                    member.status() == MembershipStatus.SUSPENDED ? "suspended" : null);
        }
    }

    /** One team's side of the change. */
    public record TeamChange(UUID teamId, String teamName, List<Person> joining, List<Person> leaving) {
    }

    /**
     * One member as a directory sees them: the teams its mappings grant before and after the change, whether they make
     * the member an admin before and after, and whether the admin flag the member holds came from this directory
     * (only such a flag is ever taken back).
     */
    public record Subject(Member member, Set<UUID> before, Set<UUID> after, boolean adminBefore, boolean adminAfter,
                          boolean adminFromSource) {
    }

    /** The effect on {@code subjects} of moving {@code source}'s grants from their before to their after sets. */
    public static AccessImpact of(GrantSource source, Collection<Subject> subjects, Map<UUID, String> teamNames,
                                  List<Person> admitted, String timing, List<String> notes) {
        Map<UUID, List<Person>> joining = new LinkedHashMap<>();
        Map<UUID, List<Person>> leaving = new LinkedHashMap<>();
        List<Person> becomeAdmin = new ArrayList<>();
        List<Person> loseAdmin = new ArrayList<>();
        for (Subject subject : subjects) {
            Map<UUID, Set<GrantSource>> held = new LinkedHashMap<>();
            subject.member().teams().forEach(grant -> held.put(grant.teamId(), grant.sources()));
            Person person = Person.of(subject.member());
            for (UUID team : subject.after()) {
                if (!subject.before().contains(team) && !held.containsKey(team)) {
                    joining.computeIfAbsent(team, k -> new ArrayList<>()).add(person);
                }
            }
            for (UUID team : subject.before()) {
                Set<GrantSource> sources = held.get(team);
                if (!subject.after().contains(team) && sources != null && sources.equals(Set.of(source))) {
                    leaving.computeIfAbsent(team, k -> new ArrayList<>()).add(person);
                }
            }
            if (subject.adminAfter() && !subject.adminBefore() && !subject.member().admin()) {
                becomeAdmin.add(person);
            }
            if (subject.adminBefore() && !subject.adminAfter() && subject.member().admin()
                    && subject.adminFromSource()) {
                loseAdmin.add(person);
            }
        }
        List<TeamChange> teams = new ArrayList<>();
        LinkedHashSet<UUID> touched = new LinkedHashSet<>(joining.keySet());
        touched.addAll(leaving.keySet());
        for (UUID team : touched) {
            teams.add(new TeamChange(team, teamNames.getOrDefault(team, "a deleted team"),
                    List.copyOf(joining.getOrDefault(team, List.of())), List.copyOf(leaving.getOrDefault(team, List.of()))));
        }
        teams.sort(Comparator.comparing(TeamChange::teamName, String.CASE_INSENSITIVE_ORDER));
        return new AccessImpact(List.copyOf(teams), List.copyOf(becomeAdmin), List.copyOf(loseAdmin),
                List.copyOf(admitted), timing, List.copyOf(notes));
    }

    /** Whether the change moves nobody Roster knows of. */
    public boolean none() {
        return teams.isEmpty() && becomeAdmin.isEmpty() && loseAdmin.isEmpty() && admitted.isEmpty();
    }

    /** "This change will add 12 people to Platform, remove 3 people from Data and make 1 person an admin." */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (TeamChange team : teams) {
            if (!team.joining().isEmpty()) {
                parts.add("add " + people(team.joining().size()) + " to " + team.teamName());
            }
            if (!team.leaving().isEmpty()) {
                parts.add("remove " + people(team.leaving().size()) + " from " + team.teamName());
            }
        }
        if (!becomeAdmin.isEmpty()) {
            parts.add(becomeAdmin.size() == 1 ? "make 1 person an admin" : "make " + becomeAdmin.size()
                    + " people admins");
        }
        if (!loseAdmin.isEmpty()) {
            parts.add("take admin rights from " + people(loseAdmin.size()));
        }
        if (!admitted.isEmpty()) {
            parts.add("let " + people(admitted.size()) + " join the organization");
        }
        if (parts.isEmpty()) {
            return "This change moves nobody Roster knows of: no team membership or admin right changes.";
        }
        String list = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return timing == null ? "This change will " + list + "." : timing + ", this change will " + list + ".";
    }

    private static String people(int count) {
        return count == 1 ? "1 person" : String.format(Locale.ROOT, "%,d people", count);
    }
}
