package dev.roster.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * An event as stored: its position in its organization's stream, and its parts as JSON. {@link #toJson} renders it
 * as readers and webhooks receive it.
 */
public record StoredEvent(UUID organizationId, long position, UUID id, String type, Instant occurredAt,
                          String actorJson, String dataJson, String changesJson) {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** The event as the Events API and webhooks show it (docs/events.md). */
    public String toJson(String organizationSlug) {
        return render(id.toString(), type, organizationSlug, occurredAt, actorJson, dataJson, changesJson);
    }

    /** Renders an event; the JSON parts are written as they are. */
    public static String render(String id, String type, String organizationSlug, Instant occurredAt,
                                String actorJson, String dataJson, String changesJson) {
        StringWriter out = new StringWriter(256 + dataJson.length());
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("type", type);
            json.writeStringField("organization", organizationSlug);
            json.writeStringField("occurredAt", occurredAt.toString());
            json.writeFieldName("actor");
            json.writeRawValue(actorJson);
            json.writeFieldName("data");
            json.writeRawValue(dataJson);
            if (changesJson != null) {
                json.writeFieldName("changes");
                json.writeRawValue(changesJson);
            }
            json.writeEndObject();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }
}
