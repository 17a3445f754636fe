package dev.roster.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import dev.roster.shared.Ids;
import dev.roster.test.MutableClock;
import dev.roster.test.PrivateDatabase;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.test.TestMailbox;

/**
 * The dispatcher on its own database: retries with backoff when SMTP is down, gives up after the configured number of
 * attempts, and delivers each message once even when several instances dispatch at the same time.
 */
class MailDispatcherTest {

    private static PrivateDatabase database;
    private static JdbcClient jdbc;

    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void createDatabase() {
        database = PrivateDatabase.create("mail").migrate();
        jdbc = JdbcClient.create(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @AfterEach
    void emptyOutbox() {
        jdbc.sql("DELETE FROM mail_outbox").update();
    }

    @Test
    void anSmtpFailureKeepsTheMessageForARetryWithBackoff() throws IOException {
        MailSettings settings = settings(5);
        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(closedPort()), settings, clock);
        UUID id = enqueue(TestData.uniqueEmail("down"));

        assertThat(dispatcher.dispatchDue()).isZero();

        Map<String, Object> row = row(id);
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat((String) row.get("last_error")).contains("Connection refused");
        assertThat((String) row.get("text_body")).contains("the body");
        assertThat(row.get("claimed_until")).isNull();
        Instant next = instant(id, "next_attempt_at");
        assertThat(next).isBetween(clock.instant().plusSeconds(25), clock.instant().plusSeconds(31));

        assertThat(dispatcher.dispatch(id)).isEqualTo(MailDispatcher.Outcome.NOT_CLAIMED);
        assertThat(row(id).get("attempts")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        dispatcher.dispatchDue();
        assertThat(row(id).get("attempts")).isEqualTo(2);
        Instant second = instant(id, "next_attempt_at");
        assertThat(second).isBetween(clock.instant().plusSeconds(55), clock.instant().plusSeconds(61));

        // The server is back: the next poll delivers what was kept.
        clock.advance(Duration.ofSeconds(61));
        MailDispatcher recovered = new MailDispatcher(jdbc, sender(greenMailPort()), settings, clock);
        assertThat(recovered.dispatchDue()).isEqualTo(1);
        assertThat(row(id).get("sent_at")).isNotNull();
        assertThat(row(id).get("last_error")).isNull();
        assertThat(TestMailbox.await((String) row(id).get("recipient"), 1)).singleElement()
                .satisfies(mail -> assertThat(mail.text()).contains("the body"));
    }

    @Test
    void givesUpAfterTheLastAttempt() throws IOException {
        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(closedPort()), settings(2), clock);
        UUID id = enqueue(TestData.uniqueEmail("never"));

        dispatcher.dispatchDue();
        clock.advance(Duration.ofMinutes(5));
        dispatcher.dispatchDue();
        clock.advance(Duration.ofHours(5));
        dispatcher.dispatchDue();

        Map<String, Object> row = row(id);
        assertThat(row.get("attempts")).isEqualTo(2);
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("last_error")).isNotNull();
        assertThat(row.get("text_body")).isEqualTo("");
        assertThat(dispatcher.dispatch(id)).isEqualTo(MailDispatcher.Outcome.NOT_CLAIMED);
    }

    @Test
    void aMessageClaimedByAnotherInstanceIsLeftToIt() {
        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(greenMailPort()), settings(5), clock);
        String recipient = TestData.uniqueEmail("claimed");
        UUID id = enqueue(recipient);
        jdbc.sql("UPDATE mail_outbox SET claimed_until = ? WHERE id = ?")
                .params(Timestamp.from(clock.instant().plusSeconds(60)), id).update();

        assertThat(dispatcher.dispatchDue()).isZero();
        assertThat(row(id).get("sent_at")).isNull();

        // A claim lapses, so the message of an instance that died mid-send is not lost.
        clock.advance(Duration.ofSeconds(61));
        assertThat(dispatcher.dispatchDue()).isEqualTo(1);
        assertThat(TestMailbox.await(recipient, 1)).hasSize(1);
    }

    @Test
    void instancesDispatchingTogetherDeliverEachMessageOnce() throws Exception {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String recipient = TestData.uniqueEmail("race" + i);
            recipients.add(recipient);
            enqueue(recipient);
        }
        List<Callable<Integer>> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(greenMailPort()), settings(5), clock);
            instances.add(dispatcher::dispatchDue);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        int sent = 0;
        try {
            for (Future<Integer> result : pool.invokeAll(instances)) {
                sent += result.get();
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(sent).isEqualTo(60);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL").query(Long.class).single())
                .isEqualTo(60);
        // Every dispatchDue has returned, so every SMTP transaction is finished: a duplicate would be here already.
        assertThat(TestMailbox.receivedBy(recipients)).hasSize(60);
    }

    @Test
    void aDeliveredMessageKeepsNoBody() {
        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(greenMailPort()), settings(5), clock);
        String recipient = TestData.uniqueEmail("delivered");
        UUID id = enqueue(recipient);

        assertThat(dispatcher.dispatch(id)).isEqualTo(MailDispatcher.Outcome.SENT);

        TestMailbox.Mail mail = TestMailbox.await(recipient, 1).get(0);
        assertThat(mail.from()).isEqualTo("roster-test@example.test");
        assertThat(mail.subject()).isEqualTo("Subject line");
        assertThat(mail.text()).contains("the body");
        assertThat(mail.html()).contains("<p>the body</p>");
        Map<String, Object> row = row(id);
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("text_body")).isEqualTo("");
        assertThat(row.get("html_body")).isEqualTo("");
        assertThat(dispatcher.dispatch(id)).isEqualTo(MailDispatcher.Outcome.NOT_CLAIMED);
    }

    @Test
    void aDeletedOrganizationsMailIsHeldUntilItIsRestored() throws IOException {
        UUID live = organization("live-mail", false);
        UUID deleted = organization("deleted-mail", false);
        // SMTP is down when the messages are queued: each waits for the next poll, as after any outage.
        MailDispatcher down = new MailDispatcher(jdbc, sender(closedPort()), settings(5), clock);
        String ofLive = TestData.uniqueEmail("of-live");
        String ofDeleted = TestData.uniqueEmail("of-deleted");
        String ofAccount = TestData.uniqueEmail("own-account");
        UUID liveMail = enqueue(ofLive, live);
        UUID deletedMail = enqueue(ofDeleted, deleted);
        UUID accountMail = enqueue(ofAccount, null);
        down.dispatchDue();
        markDeleted(deleted, true);
        clock.advance(Duration.ofMinutes(5));

        MailDispatcher dispatcher = new MailDispatcher(jdbc, sender(greenMailPort()), settings(5), clock);
        assertThat(dispatcher.dispatchDue()).isEqualTo(2);
        assertThat(TestMailbox.await(ofLive, 1)).hasSize(1);
        assertThat(TestMailbox.await(ofAccount, 1)).hasSize(1);
        assertThat(dispatcher.dispatch(deletedMail)).isEqualTo(MailDispatcher.Outcome.NOT_CLAIMED);
        assertThat(row(deletedMail).get("sent_at")).isNull();
        assertThat(row(deletedMail).get("attempts")).isEqualTo(1);
        assertThat(TestMailbox.receivedBy(List.of(ofDeleted))).isEmpty();
        // Held, not waiting: the outbox's gauges do not count it, so no alert fires for an organization that is gone.
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MailOutboxMetrics metrics = new MailOutboxMetrics(jdbc, settings(5), clock, meters);
        metrics.sample();
        assertThat(meters.get("roster.mail.outbox.pending").gauge().value()).isZero();

        markDeleted(deleted, false);
        assertThat(dispatcher.dispatchDue()).isEqualTo(1);
        assertThat(TestMailbox.await(ofDeleted, 1)).hasSize(1);
        assertThat(row(liveMail).get("sent_at")).isNotNull();
        assertThat(row(accountMail).get("sent_at")).isNotNull();
    }

    private UUID organization(String slug, boolean deleted) {
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO organization (id, slug, name, require_two_factor, created_at, updated_at)
                VALUES (?, ?, ?, FALSE, ?, ?)""").params(id, slug + "-" + id, slug, now, now).update();
        markDeleted(id, deleted);
        return id;
    }

    private void markDeleted(UUID organization, boolean deleted) {
        jdbc.sql("UPDATE organization SET deleted_at = ? WHERE id = ?")
                .params(deleted ? Timestamp.from(clock.instant()) : null, organization).update();
    }

    private UUID enqueue(String recipient) {
        return enqueue(recipient, null);
    }

    private UUID enqueue(String recipient, UUID organization) {
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO mail_outbox (id, organization_id, recipient, subject, text_body, html_body, created_at,
                                         next_attempt_at, attempts)
                VALUES (?, ?, ?, 'Subject line', 'the body', '<p>the body</p>', ?, ?, 0)""")
                .params(id, organization, recipient, now, now).update();
        return id;
    }

    private static Map<String, Object> row(UUID id) {
        return jdbc.sql("SELECT * FROM mail_outbox WHERE id = ?").param(id).query().singleRow();
    }

    private static Instant instant(UUID id, String column) {
        return jdbc.sql("SELECT " + column + " FROM mail_outbox WHERE id = ?").param(id).query(Timestamp.class)
                .single().toInstant();
    }

    private static MailSettings settings(int maxAttempts) {
        return new MailSettings("roster-test@example.test", false, maxAttempts, Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofMinutes(2));
    }

    private static JavaMailSenderImpl sender(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        sender.getJavaMailProperties().put("mail.smtp.connectiontimeout", "5000");
        sender.getJavaMailProperties().put("mail.smtp.timeout", "5000");
        return sender;
    }

    private static int greenMailPort() {
        return TestEnvironment.greenMail().getSmtp().getPort();
    }

    // A port that was free a moment ago and has nothing listening: connections are refused at once.
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
