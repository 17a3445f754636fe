package dev.roster.membership;

/**
 * A member's role in a team. Maintainers manage the collaborators of the resources their team owns; members only
 * reach them. The role belongs to a grant (an admin makes someone a maintainer with their manual grant), and a member
 * holding several grants of one team has the highest of their roles.
 */
public enum TeamRole {
    MEMBER, MAINTAINER
}
