package dev.roster.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a host application sees of an organization's events, for tests of the changes that publish them: the Events
 * API read over HTTP with the admin's token (following {@code next} as a host does), and a webhook endpoint with a
 * real HTTP receiver that checks every signature with the Standard Webhooks algorithm.
 */
public final class EventFeed implements AutoCloseable {

    private static final com.fasterxml.jackson.databind.ObjectMapper SAMPLES =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final TestApi api;
    private final TestData.Org org;
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final String secret;

    private EventFeed(TestApi api, TestData.Org org) {
        this.api = api;
        this.org = org;
        TestApi.Response created = api.post(org.admin().token(), org.api("/webhooks"),
                Map.of("url", receiver.url(), "events", List.of("*"), "description", "event tests"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        this.secret = created.json().path("secret").asText();
    }

    /** Subscribes a webhook endpoint to every event of the organization from now on. */
    public static EventFeed follow(TestApi api, TestData.Org org) {
        return new EventFeed(api, org);
    }

    /** Every event of the organization kept so far, in stream order, read page by page through the Events API. */
    public List<JsonNode> all() {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        while (true) {
            TestApi.Response page = api.get(org.admin().token(),
                    org.api("/events?limit=1000" + (after == null ? "" : "&after=" + after)));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().path("data").forEach(events::add);
            page.json().path("data").forEach(EventFeed::keepSample);
            String next = page.json().path("next").asText();
            if (page.json().path("data").isEmpty() || next.equals(after)) {
                return events;
            }
            after = next;
        }
    }

    /**
     * Keeps the last event of each type read under {@code target/event-samples/<type>.json}: real output, from which
     * the examples in docs/events.md are taken (EventTypesDocumentedTest keeps them in shape).
     */
    private static void keepSample(JsonNode event) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "event-samples");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(event.path("type").asText() + ".json"),
                    SAMPLES.writerWithDefaultPrettyPrinter().writeValueAsString(event));
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** The events of these types, in stream order. */
    public List<JsonNode> ofTypes(String... types) {
        List<String> wanted = List.of(types);
        return all().stream().filter(e -> wanted.contains(e.path("type").asText())).toList();
    }

    /** Waits (up to 30 s) until the Events API shows what the condition wants, and returns every event then. */
    public List<JsonNode> await(Predicate<List<JsonNode>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            List<JsonNode> events = all();
            if (condition.test(events)) {
                return events;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the Events API did not show " + what + " within 30 s; it shows "
                        + events.stream().map(e -> e.path("type").asText()).toList());
            }
            pause();
        }
    }

    /** Waits for an event of this type whose {@code data.id} is {@code dataId}, and returns it. */
    public JsonNode awaitOne(String type, String dataId) {
        return await(events -> find(events, type, dataId) != null, type + " of " + dataId).stream()
                .filter(e -> matches(e, type, dataId)).findFirst().orElseThrow();
    }

    /** The events of these types about this object ({@code data.id}), in stream order. */
    public static List<JsonNode> about(List<JsonNode> events, String dataId) {
        return events.stream().filter(e -> e.path("data").path("id").asText().equals(dataId)).toList();
    }

    private static JsonNode find(List<JsonNode> events, String type, String dataId) {
        return events.stream().filter(e -> matches(e, type, dataId)).findFirst().orElse(null);
    }

    private static boolean matches(JsonNode event, String type, String dataId) {
        return event.path("type").asText().equals(type) && event.path("data").path("id").asText().equals(dataId);
    }

    /**
     * Waits until the webhook endpoint has received every one of these events (by id), checks each delivery's
     * signature and that its body is the event exactly as the Events API shows it, and returns the deliveries in the
     * order they arrived.
     */
    public List<WebhookReceiver.Delivery> awaitDelivered(List<JsonNode> events) {
        List<String> ids = events.stream().map(e -> e.path("id").asText()).toList();
        List<WebhookReceiver.Delivery> got = receiver.await(
                list -> list.stream().map(WebhookReceiver.Delivery::id).toList().containsAll(ids),
                "events " + ids);
        List<WebhookReceiver.Delivery> delivered = got.stream().filter(d -> ids.contains(d.id())).toList();
        for (JsonNode event : events) {
            WebhookReceiver.Delivery delivery = delivered.stream()
                    .filter(d -> d.id().equals(event.path("id").asText())).findFirst().orElseThrow();
            assertThat(delivery.signedWith(secret)).as("signature of " + delivery.id()).isTrue();
            assertThat(delivery.json()).isEqualTo(event);
        }
        return delivered;
    }

    public WebhookReceiver receiver() {
        return receiver;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        receiver.close();
    }
}
