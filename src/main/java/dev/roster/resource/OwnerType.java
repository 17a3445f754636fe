package dev.roster.resource;

/** Who owns a resource: the organization itself (shared with every member), a team, or one member (personal). */
public enum OwnerType {
    ORGANIZATION, TEAM, MEMBER
}
