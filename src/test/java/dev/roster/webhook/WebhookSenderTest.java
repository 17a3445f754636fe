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
 * resolves to an internal address (DNS changed, or the operator took the host off the list) gets nothing; and the
 * client itself connects only to addresses the guard accepted, so a DNS answer that changes between the check and the
 * connection (DNS rebinding) gets nothing either. A host cannot hold a delivery past the timeout by trickling its
 * answer.
 */
class WebhookSenderTest {

    private static WebhookProperties properties() {
        return properties(java.time.Duration.ofSeconds(10));
    }

    private static WebhookProperties properties(java.time.Duration timeout) {
        return new WebhookProperties(timeout, List.of(java.time.Duration.ofSeconds(5)), 0.2,
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

    @Test
    void aDnsAnswerThatChangesAfterTheCheckCannotTurnTheConnectionToAnInternalAddress() {
        // The check before sending saw a public address; by the time the client resolves the host again it is
        // loopback. Only the guard inside the client's resolver stands between the two.
        OutboundAddresses rebound = new OutboundAddresses(List.of()) {
            @Override
            public void check(java.net.URI uri) {
            }
        };
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            WebhookSender sender = new WebhookSender(rebound, properties(), Clock.systemUTC());
            WebhookSender.Outcome refused = sender.send(receiver.url(), "msg_4", "{}", List.of(WebhookSigner.newSecret()));
            assertThat(refused.status()).isNull();
            assertThat(refused.error()).startsWith("Not sent: ").contains("internal address");
            assertThat(receiver.deliveries()).isEmpty();
        }
    }

    @Test
    void aHostThatTricklesItsAnswerIsCutOffAtTheTimeout() throws Exception {
        java.time.Duration timeout = java.time.Duration.ofMillis(1500);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread trickler = new Thread(() -> trickle(server, java.time.Duration.ofSeconds(15)));
            trickler.setDaemon(true);
            trickler.start();
            WebhookSender sender = new WebhookSender(new OutboundAddresses(List.of("localhost")), properties(timeout),
                    Clock.systemUTC());
            WebhookSender.Outcome outcome = sender.send("http://localhost:" + server.getLocalPort() + "/hook", "msg_5",
                    "{}", List.of(WebhookSigner.newSecret()));
            assertThat(outcome.status()).isNull();
            assertThat(outcome.error()).isEqualTo("No answer within 1500 ms");
            // Each byte arrives well within the socket timeout; only the deadline on the whole exchange ends it.
            assertThat(outcome.durationMs()).isBetween(1400, 5000);
        }
    }

    /** Answers a status line and headers, then one byte of body every 200 ms, until {@code during} has passed. */
    private static void trickle(java.net.ServerSocket server, java.time.Duration during) {
        try (java.net.Socket socket = server.accept()) {
            java.io.InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            String request = "";
            while (!request.contains("\r\n\r\n{}")) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                request += new String(buffer, 0, read, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            java.io.OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            long end = System.nanoTime() + during.toNanos();
            while (System.nanoTime() < end) {
                out.write('x');
                out.flush();
                Thread.sleep(200); // the slow host's pace, not a wait for a result
            }
        }
        catch (java.io.IOException | InterruptedException ex) {
            // the client hung up: what the test expects
        }
    }
}
