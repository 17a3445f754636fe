package dev.roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;

import org.assertj.core.data.Offset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.events.EventType;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEvents;
import dev.roster.test.TestMailbox;
import dev.roster.test.WebhookReceiver;

/**
 * Webhooks against a real HTTP receiver that checks every signature with the Standard Webhooks algorithm on its own:
 * order, retries with back-off (on the test clock), holding later events behind a failing one, disabling with an
 * email to the admins, 410, secret rotation, test events and retries through the API.
 */
@RosterIntegrationTest
class WebhookDeliveryTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TestEvents events;
    @Autowired
    MutableClock clock;
    @Autowired
    dev.roster.events.EventRetention retention;
    @Autowired
    WebhookDispatcher dispatcher;

    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clock.reset();
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        return receiver;
    }

    private record Endpoint(String id, String secret) {
    }

    private Endpoint endpoint(TestData.Org org, WebhookReceiver receiver, String... types) {
        TestApi.Response created = api.post(org.admin().token(), org.api("/webhooks"),
                Map.of("url", receiver.url(), "events", List.of(types), "description", "tests"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Endpoint(created.json().path("id").asText(), created.json().path("secret").asText());
    }

    @Test
    void eventsArriveInOrderSignedAsTheSpecificationSays() throws Exception {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "team.*");
        assertThat(endpoint.secret()).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(endpoint.secret().substring(6))).hasSize(32);
        // The secret is shown once: reads never carry it.
        assertThat(api.get(org.admin().token(), org.api("/webhooks/" + endpoint.id())).body()).doesNotContain("whsec_");

        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(events.publish(org, EventType.TEAM_CREATED, Map.of("n", i)));
        }
        events.publish(org, EventType.MEMBER_ADDED, Map.of("not", "subscribed"));
        List<WebhookReceiver.Delivery> got = receiver.awaitCount(5);

        assertThat(got).extracting(WebhookReceiver.Delivery::id)
                .containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
        JsonNode fromApi = api.get(org.admin().token(), org.api("/events?types=team.*")).json().path("data");
        for (int i = 0; i < got.size(); i++) {
            WebhookReceiver.Delivery delivery = got.get(i);
            assertThat(delivery.signedWith(endpoint.secret())).isTrue();
            assertThat(delivery.contentType()).startsWith("application/json");
            assertThat(Long.parseLong(delivery.timestamp())).isCloseTo(clock.instant().getEpochSecond(),
                    Offset.offset(60L));
            assertThat(delivery.json()).isEqualTo(fromApi.get(i));
            // And a host using the Standard Webhooks library verifies it too.
            new Webhook(endpoint.secret()).verify(delivery.body(), java.net.http.HttpHeaders.of(Map.of(
                    "webhook-id", List.of(delivery.id()), "webhook-timestamp", List.of(delivery.timestamp()),
                    "webhook-signature", List.of(delivery.signature())), (a, b) -> true));
        }
        assertThat(receiver.deliveries()).noneMatch(d -> d.type().equals("member.added"));
        // The receiver can have the fifth delivery before the dispatcher has recorded the attempt: wait for the record.
        JsonNode deliveries = awaitDeliveries(org, endpoint.id(), 5);
        assertThat(deliveries).hasSize(5);
        assertThat(deliveries.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(deliveries.get(0).path("responseStatus").asInt()).isEqualTo(200);
        assertThat(deliveries.get(0).path("response").asText()).isEqualTo("ok");
    }

    @Test
    void anEndpointLeftBehindByTheRetentionGoesOnFromTheOldestEventKeptAndTheGapIsAudited() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "team.*");
        assertThat(api.patch(org.admin().token(), org.api("/webhooks/" + endpoint.id()), Map.of("enabled", false))
                .status()).isEqualTo(200);
        events.publish(org, EventType.TEAM_CREATED, Map.of("name", "deleted before delivery"));
        events.sequence();

        // Disabled for longer than the retention: the event it never got is deleted.
        clock.advance(java.time.Duration.ofDays(31));
        UUID kept = events.publish(org, EventType.TEAM_CREATED, Map.of("name", "kept"));
        events.sequence();
        assertThat(retention.purge()).isPositive();
        assertThat(api.patch(org.admin().token(), org.api("/webhooks/" + endpoint.id()), Map.of("enabled", true))
                .status()).isEqualTo(200);

        // It is not stuck behind what was deleted: it gets what is kept, and the admins can see the gap.
        assertThat(receiver.awaitCount(1)).extracting(WebhookReceiver.Delivery::id).containsExactly(kept.toString());
        JsonNode gap = api.get(org.admin().token(), org.api("/audit-events?action=webhook.events-expired")).json()
                .path("items");
        assertThat(gap).hasSize(1);
        assertThat(gap.get(0).path("target").path("id").asText()).isEqualTo(endpoint.id());
        assertThat(gap.get(0).path("after").path("position").asLong())
                .isGreaterThan(gap.get(0).path("before").path("position").asLong());
    }

    @Test
    void aDeletedOrganizationsEndpointGetsNothingUntilTheOrganizationIsRestored() {
        String operator = "test-operator-token-0123456789abcdef-never-in-production";
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "team.*");
        UUID before = events.publish(org, EventType.TEAM_CREATED, Map.of("name", "before"));
        assertThat(receiver.awaitCount(1)).extracting(WebhookReceiver.Delivery::id).containsExactly(before.toString());

        assertThat(api.delete(operator, "/api/v1/orgs/" + org.slug()).status()).isEqualTo(200);
        UUID during = events.publish(org, EventType.TEAM_CREATED, Map.of("name", "while deleted"));
        events.sequence();
        // Asked to deliver now, on this thread, the dispatcher cannot even claim the endpoint: nothing is sent.
        assertThat(dispatcher.deliver(UUID.fromString(endpoint.id()))).isEqualTo(WebhookDispatcher.Result.NOT_CLAIMED);
        assertThat(receiver.deliveries()).hasSize(1);

        assertThat(api.post(operator, "/api/v1/orgs/" + org.slug() + "/restore", null).status()).isEqualTo(200);
        // Restored, it goes on where it stood: the event of the deleted period arrives, nothing is lost.
        assertThat(receiver.awaitCount(2)).extracting(WebhookReceiver.Delivery::id)
                .containsExactly(before.toString(), during.toString());
    }

    @Test
    void aFailingEventIsRetriedAfterItsBackOffAndHoldsTheEventsAfterIt() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        receiver.answer(500);
        UUID first = events.publish(org, EventType.MEMBER_ADDED, Map.of("n", 1));
        UUID second = events.publish(org, EventType.MEMBER_REMOVED, Map.of("n", 1));
        receiver.awaitCount(1);
        JsonNode health = awaitHealth(org, endpoint, h -> h.path("failuresInARow").asInt() == 1);
        assertThat(health.path("nextAttemptAt").asText()).isNotEmpty();
        // Held: the event after the failing one is not sent, not even on the next polls.
        events.sequence();
        assertThat(receiver.deliveries()).hasSize(1);

        clock.advance(Duration.ofSeconds(7)); // the first retry is due after 5 s (± 20 %)
        List<WebhookReceiver.Delivery> got = receiver.awaitCount(3);
        assertThat(got).extracting(WebhookReceiver.Delivery::id)
                .containsExactly(first.toString(), first.toString(), second.toString());
        assertThat(got).allMatch(d -> d.signedWith(endpoint.secret()));
        awaitHealth(org, endpoint, h -> h.path("failuresInARow").asInt() == 0 && h.path("eventsBehind").asInt() == 0);
        JsonNode attempts = api.get(org.admin().token(), org.api("/webhooks/" + endpoint.id() + "/deliveries"))
                .json().path("data");
        assertThat(attempts).extracting(a -> a.path("status").asText())
                .containsExactly("succeeded", "succeeded", "failed");
        assertThat(attempts.get(2).path("responseStatus").asInt()).isEqualTo(500);
        assertThat(attempts.get(2).path("response").asText()).isEqualTo("answer 500");
        assertThat(attempts.get(2).path("nextAttemptAt").asText()).isNotEmpty();
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledAndTheAdminsAreEmailed() {
        TestData.Org org = data.org();
        TestData.Person otherAdmin = data.member(org, true);
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        int[] failing = new int[8];
        java.util.Arrays.fill(failing, 503);
        receiver.answer(failing);
        UUID held = events.publish(org, EventType.MEMBER_ADDED, Map.of("n", 1));
        List<Duration> schedule = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        receiver.awaitCount(1);
        for (int retry = 0; retry < schedule.size(); retry++) {
            awaitHealth(org, endpoint, h -> h.path("failuresInARow").asInt() >= 1);
            clock.advance(schedule.get(retry).multipliedBy(12).dividedBy(10).plusSeconds(1));
            receiver.awaitCount(retry + 2);
        }
        JsonNode disabled = awaitEndpoint(org, endpoint, e -> !e.path("enabled").asBoolean());
        assertThat(disabled.path("disabledReason").asText()).isEqualTo("failing");
        assertThat(receiver.deliveries()).hasSize(8).allMatch(d -> d.id().equals(held.toString()));
        for (String admin : List.of(org.admin().email(), otherAdmin.email())) {
            TestMailbox.Mail mail = TestMailbox.await(admin, 1).get(0);
            assertThat(mail.subject()).contains("webhook endpoint").contains("disabled");
            assertThat(mail.text()).contains(receiver.url()).contains("8 times").contains("HTTP 503");
        }

        // Enabled again, the endpoint goes on with the event that held it.
        UUID later = events.publish(org, EventType.MEMBER_REMOVED, Map.of("n", 2));
        assertThat(api.patch(org.admin().token(), org.api("/webhooks/" + endpoint.id()), Map.of("enabled", true))
                .status()).isEqualTo(200);
        List<WebhookReceiver.Delivery> got = receiver.awaitCount(10);
        assertThat(got.subList(8, 10)).extracting(WebhookReceiver.Delivery::id)
                .containsExactly(held.toString(), later.toString());
    }

    @Test
    void anEndpointAnswering410IsDisabledAtOnce() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        receiver.answer(410);
        events.publish(org, EventType.TEAM_CREATED, Map.of("n", 1));
        JsonNode disabled = awaitEndpoint(org, endpoint, e -> !e.path("enabled").asBoolean());
        assertThat(disabled.path("disabledReason").asText()).isEqualTo("gone");
        TestMailbox.Mail mail = TestMailbox.await(org.admin().email(), 1).get(0);
        assertThat(mail.text()).contains("410");
        events.publish(org, EventType.TEAM_CREATED, Map.of("n", 2));
        events.sequence();
        assertThat(receiver.deliveries()).hasSize(1);
    }

    @Test
    void afterARotationBothSecretsSignFor24HoursThenOnlyTheNewOne() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        TestApi.Response rotated = api.post(org.admin().token(), org.api("/webhooks/" + endpoint.id()
                + "/rotate-secret"), null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().path("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(endpoint.secret());

        events.publish(org, EventType.TEAM_CREATED, Map.of("n", 1));
        WebhookReceiver.Delivery during = receiver.awaitCount(1).get(0);
        assertThat(during.signatureCount()).isEqualTo(2);
        assertThat(during.signedWith(newSecret)).isTrue();
        assertThat(during.signedWith(endpoint.secret())).isTrue();

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        events.publish(org, EventType.TEAM_CREATED, Map.of("n", 2));
        WebhookReceiver.Delivery after = receiver.awaitCount(2).get(1);
        assertThat(after.signatureCount()).isEqualTo(1);
        assertThat(after.signedWith(newSecret)).isTrue();
        assertThat(after.signedWith(endpoint.secret())).isFalse();
    }

    @Test
    void aTestEventAndARetryAreSentOnRequest() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        TestApi.Response test = api.post(org.admin().token(), org.api("/webhooks/" + endpoint.id() + "/test"), null);
        assertThat(test.status()).isEqualTo(200);
        assertThat(test.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(test.json().path("eventType").asText()).isEqualTo("webhook.test");
        WebhookReceiver.Delivery delivery = receiver.deliveries().get(0);
        assertThat(delivery.type()).isEqualTo("webhook.test");
        assertThat(delivery.signedWith(endpoint.secret())).isTrue();
        assertThat(delivery.json().path("organization").asText()).isEqualTo(org.slug());

        // The held event, retried by hand once the host is fixed, releases the ones after it.
        receiver.answer(500);
        UUID held = events.publish(org, EventType.MEMBER_ADDED, Map.of("n", 1));
        UUID next = events.publish(org, EventType.MEMBER_REMOVED, Map.of("n", 1));
        receiver.awaitCount(2);
        awaitHealth(org, endpoint, h -> h.path("failuresInARow").asInt() == 1);
        String failed = api.get(org.admin().token(), org.api("/webhooks/" + endpoint.id() + "/deliveries")).json()
                .path("data").get(0).path("id").asText();
        TestApi.Response retried = api.post(org.admin().token(), org.api("/webhooks/" + endpoint.id()
                + "/deliveries/" + failed + "/retry"), null);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(retried.json().path("trigger").asText()).isEqualTo("retry");
        List<WebhookReceiver.Delivery> got = receiver.awaitCount(4);
        assertThat(got.subList(1, 4)).extracting(WebhookReceiver.Delivery::id)
                .containsExactly(held.toString(), held.toString(), next.toString());

        assertThat(api.post(org.admin().token(), org.api("/webhooks/" + endpoint.id() + "/deliveries/"
                + UUID.randomUUID() + "/retry"), null).status()).isEqualTo(404);
    }

    @Test
    void redirectsAreNotFollowed() {
        TestData.Org org = data.org();
        WebhookReceiver receiver = receiver();
        WebhookReceiver elsewhere = receiver();
        Endpoint endpoint = endpoint(org, receiver, "*");
        receiver.answer(new WebhookReceiver.Answer(307, "", Map.of("Location", elsewhere.url())));
        events.publish(org, EventType.TEAM_CREATED, Map.of("n", 1));
        awaitHealth(org, endpoint, h -> h.path("failuresInARow").asInt() == 1);
        JsonNode attempt = api.get(org.admin().token(), org.api("/webhooks/" + endpoint.id() + "/deliveries")).json()
                .path("data").get(0);
        assertThat(attempt.path("status").asText()).isEqualTo("failed");
        assertThat(attempt.path("responseStatus").asInt()).isEqualTo(307);
        assertThat(elsewhere.deliveries()).isEmpty();
    }

    @Test
    void endpointsMustNotPointAtInternalAddresses() {
        TestData.Org org = data.org();
        for (String url : List.of("http://127.0.0.1:8080/hooks", "https://10.1.2.3/hooks",
                "https://169.254.169.254/latest/meta-data", "https://192.168.1.1/hooks", "https://[::1]/hooks",
                "https://[fd00::1]/hooks", "https://100.64.0.1/hooks", "ftp://example.com/hooks",
                "https://user:pass@example.com/hooks")) {
            TestApi.Response response = api.post(org.admin().token(), org.api("/webhooks"),
                    Map.of("url", url, "events", List.of("*")));
            assertThat(response.status()).as(url).isEqualTo(400);
            assertThat(response.json().path("errors").path("url").asText()).as(url).isNotEmpty();
        }
        Endpoint endpoint = endpoint(org, receiver(), "*");
        TestApi.Response moved = api.patch(org.admin().token(), org.api("/webhooks/" + endpoint.id()),
                Map.of("url", "https://169.254.169.254/latest/meta-data"));
        assertThat(moved.status()).isEqualTo(400);
        assertThat(api.post(org.admin().token(), org.api("/webhooks"), Map.of("url", receiver().url(),
                "events", List.of("member.nothing"))).status()).isEqualTo(400);
    }

    @Test
    void anotherOrganizationSeesNoneOfItAndGetsNoneOfItsEvents() {
        TestData.Org a = data.org();
        TestData.Org b = data.org();
        WebhookReceiver receiverA = receiver();
        WebhookReceiver receiverB = receiver();
        Endpoint endpointA = endpoint(a, receiverA, "*");
        endpoint(b, receiverB, "*");
        String bAdmin = b.admin().token();
        String onA = "/webhooks/" + endpointA.id();
        for (TestApi.Response response : List.of(api.get(bAdmin, b.api(onA)), api.patch(bAdmin, b.api(onA),
                        Map.of("enabled", false)), api.delete(bAdmin, b.api(onA)),
                api.post(bAdmin, b.api(onA + "/rotate-secret"), null), api.post(bAdmin, b.api(onA + "/test"), null),
                api.get(bAdmin, b.api(onA + "/deliveries")), api.get(bAdmin, a.api("/webhooks")))) {
            assertThat(response.status()).isEqualTo(404);
        }
        assertThat(api.get(bAdmin, b.api("/webhooks")).body()).doesNotContain(endpointA.id());

        UUID onlyA = events.publish(a, EventType.TEAM_CREATED, Map.of("n", 1));
        UUID onlyB = events.publish(b, EventType.TEAM_CREATED, Map.of("n", 1));
        receiverA.awaitCount(1);
        receiverB.awaitCount(1);
        events.sequence();
        assertThat(receiverA.deliveries()).extracting(WebhookReceiver.Delivery::id).containsExactly(onlyA.toString());
        assertThat(receiverB.deliveries()).extracting(WebhookReceiver.Delivery::id).containsExactly(onlyB.toString());
    }

    private JsonNode awaitHealth(TestData.Org org, Endpoint endpoint, java.util.function.Predicate<JsonNode> test) {
        return awaitEndpoint(org, endpoint, e -> test.test(e.path("health"))).path("health");
    }

    private JsonNode awaitEndpoint(TestData.Org org, Endpoint endpoint, java.util.function.Predicate<JsonNode> test) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        JsonNode current;
        do {
            current = api.get(org.admin().token(), org.api("/webhooks/" + endpoint.id())).json();
            if (test.test(current)) {
                return current;
            }
            pause();
        } while (java.time.Instant.now().isBefore(deadline));
        throw new AssertionError("the endpoint did not get there within 30 s: " + current);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private JsonNode awaitDeliveries(TestData.Org org, Object endpointId, int count) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        JsonNode deliveries = api.get(org.admin().token(), org.api("/webhooks/" + endpointId + "/deliveries")).json()
                .path("data");
        while (deliveries.size() < count && java.time.Instant.now().isBefore(deadline)) {
            pause();
            deliveries = api.get(org.admin().token(), org.api("/webhooks/" + endpointId + "/deliveries")).json()
                    .path("data");
        }
        return deliveries;
    }
}
