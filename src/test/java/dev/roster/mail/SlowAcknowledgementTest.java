package dev.roster.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mock.env.MockEnvironment;

import dev.roster.shared.Ids;
import dev.roster.test.MutableClock;
import dev.roster.test.PrivateDatabase;
import dev.roster.test.SlowSmtpServer;
import dev.roster.test.TestData;

/**
 * An SMTP server that acknowledges a message 40 seconds after taking it sent invitations twice: the read timeout
 * (30 s) gave up first and the message was sent again. Here the timeouts are scaled down a hundredfold (the server
 * answers after 400 ms) and every proportion of the defaults kept: the read timeout (5 min, here 3 s) outlasts the
 * acknowledgement, the claim (10 min, here 6 s) outlasts the whole exchange, and while the first instance waits for
 * the answer a second one polls and finds nothing to send. Each message arrives once, with its outbox row's
 * Message-ID. When the answer comes later than even the read timeout, the outcome is unknown: the message is sent
 * again, recognisably the same (one Message-ID), and the row says so.
 */
class SlowAcknowledgementTest {

    private static final Duration ACKNOWLEDGEMENT = Duration.ofMillis(400);

    private static PrivateDatabase database;
    private static JdbcClient jdbc;
    private SlowSmtpServer smtp;

    @BeforeAll
    static void createDatabase() {
        database = PrivateDatabase.create("slowmail").migrate();
        jdbc = JdbcClient.create(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @AfterEach
    void stop() throws Exception {
        jdbc.sql("DELETE FROM mail_outbox").update();
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void aSlowAcknowledgementWithinTheTimeoutDeliversEachMessageOnceWhileAnotherInstancePolls() throws Exception {
        smtp = new SlowSmtpServer(ACKNOWLEDGEMENT);
        MailSettings settings = settings(Duration.ofSeconds(6));
        MailDelivery.checkClaimOutlastsTheSmtpExchange(settings, timeouts(100, 300, 3_000));
        MailDispatcher first = new MailDispatcher(jdbc, sender(100, 300, 3_000), settings, Clock.systemUTC());
        MailDispatcher second = new MailDispatcher(jdbc, sender(100, 300, 3_000), settings, Clock.systemUTC());
        List<UUID> ids = List.of(enqueue(TestData.uniqueEmail("slow-a")), enqueue(TestData.uniqueEmail("slow-b")));

        ExecutorService instance = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> sending = instance.submit(first::dispatchDue);
            // The second instance polls for as long as the first is waiting for the server's answers.
            int polls = 0;
            int sentBySecond = 0;
            while (!sending.isDone()) {
                sentBySecond += second.dispatchDue();
                polls++;
            }
            // Each message was sent by one of them: the second takes what the first has not claimed yet, never what
            // the first is waiting on.
            assertThat(sending.get() + sentBySecond).isEqualTo(2);
            assertThat(polls).isPositive();
        }
        finally {
            instance.shutdownNow();
        }

        assertThat(smtp.received()).hasSize(2);
        for (UUID id : ids) {
            String messageId = first.messageId(id);
            assertThat(smtp.received()).filteredOn(received -> messageId.equals(received.messageId())).hasSize(1);
            Map<String, Object> row = row(id);
            assertThat(row.get("sent_at")).isNotNull();
            assertThat(row.get("attempts")).isEqualTo(1);
        }
        assertThat(first.messageId(ids.get(0))).isEqualTo("<" + ids.get(0) + "@example.test>");
    }

    @Test
    void anAcknowledgementLaterThanTheTimeoutIsAnUnknownOutcomeAndTheResendCarriesTheSameMessageId() throws Exception {
        smtp = new SlowSmtpServer(ACKNOWLEDGEMENT);
        MutableClock clock = new MutableClock();
        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(100, 300, 150), settings(Duration.ofSeconds(6)),
                clock);
        String recipient = TestData.uniqueEmail("unknown");
        UUID id = enqueue(recipient, clock);

        assertThat(dispatcher.dispatchDue()).isZero();
        Map<String, Object> afterFirst = row(id);
        assertThat(afterFirst.get("attempts")).isEqualTo(1);
        assertThat(afterFirst.get("last_attempt_at")).isNotNull();
        assertThat((String) afterFirst.get("last_error")).contains("may have been delivered")
                .contains("same Message-ID");

        clock.advance(Duration.ofMinutes(1));
        // The server is quick now: the resend is acknowledged.
        smtp.close();
        smtp = new SlowSmtpServer(Duration.ZERO);
        MailDispatcher again = new MailDispatcher(jdbc, sender(100, 300, 3_000, smtp.port()),
                settings(Duration.ofSeconds(6)), clock);
        assertThat(again.dispatchDue()).isEqualTo(1);
        assertThat(row(id).get("attempts")).isEqualTo(2);
        assertThat(smtp.received()).singleElement().satisfies(received -> {
            assertThat(received.recipient()).isEqualTo(recipient);
            assertThat(received.messageId()).isEqualTo(dispatcher.messageId(id));
        });
    }

    @Test
    void aClaimThatCouldEndBeforeTheSmtpExchangeIsRefusedAtStartUp() {
        assertThatThrownBy(() -> MailDelivery.checkClaimOutlastsTheSmtpExchange(settings(Duration.ofSeconds(30)),
                timeouts(10_000, 30_000, 30_000))).hasMessageContaining("roster.mail.claim-timeout");
        assertThatThrownBy(() -> MailDelivery.checkClaimOutlastsTheSmtpExchange(settings(Duration.ofMinutes(10)),
                new MockEnvironment())).hasMessageContaining("mail.smtp.connectiontimeout");
        MailDelivery.checkClaimOutlastsTheSmtpExchange(new MailSettings("roster@localhost", false, 10,
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(10)), timeouts(10_000, 30_000, 300_000));
    }

    private static MailSettings settings(Duration claim) {
        return new MailSettings("roster-test@example.test", false, 5, Duration.ofSeconds(30), Duration.ofHours(1), claim);
    }

    private static MockEnvironment timeouts(int connect, int write, int read) {
        return new MockEnvironment().withProperty("spring.mail.properties.mail.smtp.connectiontimeout", "" + connect)
                .withProperty("spring.mail.properties.mail.smtp.writetimeout", "" + write)
                .withProperty("spring.mail.properties.mail.smtp.timeout", "" + read);
    }

    private JavaMailSenderImpl sender(int connect, int write, int read) {
        return sender(connect, write, read, smtp.port());
    }

    private static JavaMailSenderImpl sender(int connect, int write, int read, int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        Properties properties = new Properties();
        properties.put("mail.smtp.connectiontimeout", Integer.toString(connect * 10));
        properties.put("mail.smtp.writetimeout", Integer.toString(write * 10));
        properties.put("mail.smtp.timeout", Integer.toString(read));
        sender.setJavaMailProperties(properties);
        return sender;
    }

    private static UUID enqueue(String recipient) {
        return enqueue(recipient, Clock.systemUTC());
    }

    private static UUID enqueue(String recipient, Clock clock) {
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant().minusSeconds(1));
        jdbc.sql("""
                INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at, attempts)
                VALUES (?, ?, 'Invitation', 'the body', '<p>the body</p>', ?, ?, 0)""")
                .params(id, recipient, now, now).update();
        return id;
    }

    private static Map<String, Object> row(UUID id) {
        return jdbc.sql("SELECT * FROM mail_outbox WHERE id = ?").param(id).query().singleRow();
    }
}
