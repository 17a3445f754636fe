package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OutboundAddresses;
import dev.roster.sso.SsoProperties;

/** A metadata host that accepts the connection and never answers is reported as a timeout, with the time waited. */
class MetadataFetcherTimeoutTest {

    @Test
    void aHostThatNeverAnswersIsATimeoutInWords() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    held.getInputStream().read(new byte[1 << 16]);
                    Thread.sleep(Duration.ofSeconds(5).toMillis());
                }
                catch (Exception ignored) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SsoProperties.Metadata settings = new SsoProperties.Metadata(true, true, Duration.ofHours(6),
                    Duration.ofMillis(400));
            OutboundTls tls = new OutboundTls(new SsoProperties(Duration.ofMinutes(2),
                    org.springframework.util.unit.DataSize.ofKilobytes(256), Duration.ofDays(30), settings,
                    new SsoProperties.Outbound(null, "", List.of()), new SsoProperties.Graph("https://graph.test",
                    "https://login.test/"), List.of(), 60));
            MetadataFetcher fetcher = new MetadataFetcher(settings, new OutboundAddresses(List.of()), tls);
            InvalidRequestException refused = catchThrowableOfType(
                    () -> fetcher.fetch("http://127.0.0.1:" + silent.getLocalPort() + "/metadata"),
                    InvalidRequestException.class);
            assertThat(refused.fieldErrors().get("metadataUrl")).contains("did not answer within 400 ms");
        }
    }
}
