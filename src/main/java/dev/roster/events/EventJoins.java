package dev.roster.events;

/**
 * The event tables as other modules' statements may join them: the webhook backlog gauge compares each endpoint's
 * position with its organization's stream in one statement. The tables belong to this module; others name them only
 * through these fragments (docs/architecture.md#who-owns-which-table).
 *
 * <p>Columns others read: {@code event_stream.last_position}, {@code event.occurred_at}.
 */
public final class EventJoins {

    private EventJoins() {
    }

    /** {@code JOIN event_stream <alias> ON <alias>.organization_id = <organizationId>}: the stream's last position. */
    public static String joinStream(String alias, String organizationId) {
        return " JOIN event_stream " + alias + " ON " + alias + ".organization_id = " + organizationId + "\n";
    }

    /** {@code JOIN event <alias>}: the organization's event at {@code position}. */
    public static String joinEventAt(String alias, String organizationId, String position) {
        return " JOIN event " + alias + " ON " + alias + ".organization_id = " + organizationId + " AND " + alias
                + ".stream_position = " + position + "\n";
    }
}
