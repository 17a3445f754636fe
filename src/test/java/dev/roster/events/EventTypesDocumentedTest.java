package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * docs/events.md shows one JSON example per event type, taken from real output (the event tests write every event
 * they read to {@code target/event-samples/}). This keeps the page from drifting: every type of the stream has its
 * example, each example is an event of its type with the envelope every event has, and its {@code data} has no field
 * the record the code publishes for that type does not have.
 */
class EventTypesDocumentedTest {

    private static final Pattern EXAMPLE = Pattern.compile("#### `([a-z_.]+)`\\s*\\n(?:[^`#][^\\n]*\\n|\\n)*```json\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record each type's {@code data} is, by class name (some are internal to their module). */
    private static final Map<String, String> DATA = new LinkedHashMap<>();

    static {
        for (String type : new String[] {"member.added", "member.updated", "member.suspended", "member.reactivated",
                "member.removed", "member.teams_changed"}) {
            DATA.put(type, "dev.roster.membership.MemberView");
        }
        for (String type : new String[] {"team.created", "team.renamed", "team.deleted"}) {
            DATA.put(type, "dev.roster.membership.TeamView");
        }
        for (String type : new String[] {"invitation.created", "invitation.accepted", "invitation.revoked",
                "invitation.expired"}) {
            DATA.put(type, "dev.roster.invitation.Invitation");
        }
        DATA.put("directory.user_provisioned", "dev.roster.scim.provisioning.DirectoryEvents$UserData");
        DATA.put("directory.user_deprovisioned", "dev.roster.scim.provisioning.DirectoryEvents$UserData");
        DATA.put("directory.group_synced", "dev.roster.scim.provisioning.DirectoryEvents$GroupData");
        DATA.put("sso.connection.changed", "dev.roster.sso.connection.ConnectionView");
    }

    @Test
    void everyTypeHasAnExampleWithTheFieldsThatArePublished() throws Exception {
        Map<String, JsonNode> examples = examples();
        Set<String> streamed = new TreeSet<>();
        Arrays.stream(EventType.values()).filter(EventType::streamed).map(EventType::wireName)
                .forEach(streamed::add);
        assertThat(examples.keySet()).as("types with an example in docs/events.md").containsAll(streamed);
        for (Map.Entry<String, JsonNode> entry : examples.entrySet()) {
            String type = entry.getKey();
            JsonNode event = entry.getValue();
            assertThat(EventType.of(type)).as("documented type %s", type).isPresent();
            assertThat(fields(event)).as("envelope of %s", type)
                    .containsAll(Set.of("id", "type", "organization", "occurredAt", "actor", "data"));
            assertThat(event.path("type").asText()).isEqualTo(type);
            assertThat(fields(event.path("actor"))).as("actor of %s", type).contains("type", "label", "channel");
            String record = DATA.get(type);
            if (record != null) {
                Set<String> components = new TreeSet<>();
                Arrays.stream(Class.forName(record).getRecordComponents()).map(c -> c.getName())
                        .forEach(components::add);
                // A subset: absent values are left out of every event (a team without a description has none).
                assertThat(components).as("data of %s (%s)", type, record)
                        .containsAll(fields(event.path("data")));
                assertThat(fields(event.path("data"))).as("data of %s", type).contains("id");
            }
        }
    }

    private static Map<String, JsonNode> examples() throws IOException {
        String page = Files.readString(Path.of("docs/events.md"));
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(page);
        while (matcher.find()) {
            examples.put(matcher.group(1), JSON.readTree(matcher.group(2)));
        }
        return examples;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
