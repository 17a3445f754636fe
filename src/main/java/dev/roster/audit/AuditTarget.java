package dev.roster.audit;

/** What a change was made to: a member, a team, an invitation, a token, a setting. */
public record AuditTarget(String type, String id, String label) {

    public static AuditTarget of(String type, Object id, String label) {
        return new AuditTarget(type, id == null ? null : id.toString(), label);
    }
}
