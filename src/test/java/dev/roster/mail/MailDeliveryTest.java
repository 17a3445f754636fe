package dev.roster.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mock.env.MockEnvironment;

import dev.roster.shared.Ids;
import dev.roster.test.MutableClock;
import dev.roster.test.PrivateDatabase;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.test.TestMailbox;

/** When delivery happens, and that with no SMTP host configured nothing is sent or marked as sent. */
class MailDeliveryTest {

    private static PrivateDatabase database;
    private static JdbcClient jdbc;

    private final MutableClock clock = new MutableClock();
    private final MailSettings settings = new MailSettings("roster@localhost", false, 5, Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofMinutes(2));

    @BeforeAll
    static void createDatabase() {
        database = PrivateDatabase.create("mail").migrate();
        jdbc = JdbcClient.create(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void withoutAnSmtpHostMailStaysInTheOutboxUnsent() throws Exception {
        String recipient = TestData.uniqueEmail("offline");
        UUID id = enqueue(recipient);
        JavaMailSenderImpl sender = greenMailSender();
        MailDelivery delivery = new MailDelivery(jdbc, provider(sender), settings, clock,
                new MockEnvironment().withProperty("spring.mail.host", ""));

        delivery.afterCommit(new MailEnqueued(id));
        delivery.poll();
        delivery.destroy();

        assertThat(jdbc.sql("SELECT attempts FROM mail_outbox WHERE id = ? AND sent_at IS NULL").param(id)
                .query(Integer.class).single()).isZero();
        // destroy() waited for the delivery executor to finish: nothing is left that could still send it.
        assertThat(TestMailbox.receivedBy(java.util.List.of(recipient))).isEmpty();
    }

    @Test
    void withAnSmtpHostTheCommitTriggersDeliveryAndThePollCatchesUp() throws Exception {
        MailDelivery delivery = new MailDelivery(jdbc, provider(greenMailSender()), settings, clock,
                new MockEnvironment().withProperty("spring.mail.host", "127.0.0.1")
                        .withProperty("spring.mail.properties.mail.smtp.connectiontimeout", "10000")
                        .withProperty("spring.mail.properties.mail.smtp.writetimeout", "30000")
                        .withProperty("spring.mail.properties.mail.smtp.timeout", "30000"));
        String triggered = TestData.uniqueEmail("triggered");
        String polled = TestData.uniqueEmail("polled");
        UUID triggeredId = enqueue(triggered);
        enqueue(polled);
        try {
            delivery.afterCommit(new MailEnqueued(triggeredId));
            assertThat(TestMailbox.await(triggered, 1)).hasSize(1);

            delivery.poll();
            assertThat(TestMailbox.await(polled, 1)).hasSize(1);
        }
        finally {
            delivery.destroy();
        }
    }

    private UUID enqueue(String recipient) {
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at, attempts)
                VALUES (?, ?, 'Subject', 'text', '<p>html</p>', ?, ?, 0)""")
                .params(id, recipient, now, now).update();
        return id;
    }

    private static JavaMailSenderImpl greenMailSender() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(TestEnvironment.greenMail().getSmtp().getPort());
        return sender;
    }

    private static ObjectProvider<JavaMailSender> provider(JavaMailSender sender) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("mailSender", sender);
        return beans.getBeanProvider(JavaMailSender.class);
    }
}
