package dev.roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.roster.shared.OutboundAddresses;
import dev.roster.test.WebhookReceiver;

/**
 * The address guard is asked before every delivery, not only when the URL is saved: an endpoint whose host now
 * resolves to an internal address (DNS changed, or the operator took the host off the list) gets nothing.
 */
class WebhookSenderTest {

    private static WebhookProperties properties() {
        return new WebhookProperties(java.time.Duration.ofSeconds(10), List.of(java.time.Duration.ofSeconds(5)), 0.2,
                java.time.Duration.ofHours(24), true, java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(1),
                1, 20, 200);
    }

    @Test
    void aHostThatResolvesToAnInternalAddressIsNotCalled() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            WebhookSender guarded = new WebhookSender(new OutboundAddresses(List.of()), properties(),
                    Clock.systemUTC());
            WebhookSender.Outcome refused = guarded.send(receiver.url(), "msg_1", "{}", List.of(WebhookSigner.newSecret()));
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.status()).isNull();
            assertThat(refused.error()).contains("internal address");
            assertThat(receiver.deliveries()).isEmpty();

            WebhookSender allowed = new WebhookSender(new OutboundAddresses(List.of("localhost")), properties(),
                    Clock.systemUTC());
            receiver.answer(new WebhookReceiver.Answer(204, "", Map.of()));
            WebhookSender.Outcome sent = allowed.send(receiver.url(), "msg_2", "{}", List.of(WebhookSigner.newSecret()));
            assertThat(sent.succeeded()).isTrue();
            assertThat(receiver.deliveries()).hasSize(1);
        }
    }

    @Test
    void onlyTheAnswersFirstKilobyteIsKept() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(new WebhookReceiver.Answer(500, "x".repeat(5000), Map.of()));
            WebhookSender sender = new WebhookSender(new OutboundAddresses(List.of("localhost")), properties(),
                    Clock.systemUTC());
            WebhookSender.Outcome outcome = sender.send(receiver.url(), "msg_3", "{}", List.of(WebhookSigner.newSecret()));
            assertThat(outcome.status()).isEqualTo(500);
            assertThat(outcome.body()).hasSize(WebhookSender.MAX_ANSWER);
        }
    }
}
