package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OutboundAddresses;
import dev.roster.sso.SsoProperties;

/**
 * The metadata URL is checked before every request, and the HTTP client asks the guard once more as it connects: a
 * host whose DNS answer turns internal between the two (DNS rebinding) gets no connection.
 */
class MetadataFetcherAddressGuardTest {

    @Test
    void aDnsAnswerThatChangesAfterTheCheckGetsNoConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        connections.incrementAndGet();
                    }
                    catch (Exception ex) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // The check before the request saw a public address (here: it is skipped); the client's resolver then
            // finds loopback.
            OutboundAddresses rebound = new OutboundAddresses(List.of()) {
                @Override
                public void check(URI uri) {
                }
            };
            SsoProperties.Metadata settings = new SsoProperties.Metadata(false, true, Duration.ofHours(6),
                    Duration.ofSeconds(2));
            OutboundTls tls = new OutboundTls(new SsoProperties(Duration.ofMinutes(2),
                    org.springframework.util.unit.DataSize.ofKilobytes(256), Duration.ofDays(30), settings,
                    new SsoProperties.Outbound(null, "", List.of()), new SsoProperties.Graph("https://graph.test",
                    "https://login.test/"), List.of(), 60));
            MetadataFetcher fetcher = new MetadataFetcher(settings, rebound, tls);

            InvalidRequestException refused = catchThrowableOfType(
                    () -> fetcher.fetch("http://localhost:" + server.getLocalPort() + "/metadata"),
                    InvalidRequestException.class);

            assertThat(refused.fieldErrors().get("metadataUrl")).contains("internal address");
            assertThat(connections).hasValue(0);
        }
    }
}
