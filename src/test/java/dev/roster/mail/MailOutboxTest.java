package dev.roster.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/** The outbox inside the application: mail follows the fate of the transaction that queued it. */
@RosterIntegrationTest
class MailOutboxTest {

    @Autowired
    MailOutbox outbox;
    @Autowired
    MailTemplates templates;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    @Test
    void committedMailIsDeliveredWithoutWaitingForThePoll() {
        String recipient = TestData.uniqueEmail("committed");

        transactions.executeWithoutResult(tx -> outbox.enqueue(recipient, "Hello",
                new MailContent("plain text", "<p>html</p>")));

        TestMailbox.Mail mail = TestMailbox.await(recipient, 1).get(0);
        assertThat(mail.from()).isEqualTo("roster@localhost");
        assertThat(mail.subject()).isEqualTo("Hello");
        assertThat(mail.text()).isEqualTo("plain text");
        assertThat(mail.html()).isEqualTo("<p>html</p>");
    }

    @Test
    void aRolledBackTransactionSendsNothing() throws InterruptedException {
        String recipient = TestData.uniqueEmail("rolled-back");

        transactions.executeWithoutResult(tx -> {
            outbox.enqueue(recipient, "Never", new MailContent("text", "<p>html</p>"));
            tx.setRollbackOnly();
        });

        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = ?").param(recipient)
                .query(Long.class).single()).isZero();
        // A message committed after the rolled-back one has arrived: delivery has run since, and sent nothing else.
        String later = TestData.uniqueEmail("committed-after");
        transactions.executeWithoutResult(tx -> outbox.enqueue(later, "Later",
                new MailContent("text", "<p>html</p>")));
        TestMailbox.await(later, 1);
        assertThat(TestMailbox.receivedBy(java.util.List.of(recipient))).isEmpty();
    }

    @Test
    void refusesToQueueOutsideATransaction() {
        assertThatThrownBy(() -> outbox.enqueue(TestData.uniqueEmail("loose"), "s", new MailContent("t", "h")))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void htmlBodiesEscapeWhatPeopleTypedAndTextBodiesKeepItAsIs() {
        MailContent content = templates.render("invitation", Map.of("organizationName", "<Acme & Co>",
                "inviterName", "Eve <script>", "inviterEmail", "eve@example.test",
                "teams", java.util.List.of("R&D"), "admin", false, "link", "http://localhost:8080/x?token=inv_1",
                "expiresAt", "1 January 2030, 00:00 UTC", "resent", false));

        assertThat(content.html()).contains("&lt;Acme &amp; Co&gt;", "Eve &lt;script&gt;", "R&amp;D")
                .doesNotContain("<Acme", "<script>");
        assertThat(content.text()).contains("<Acme & Co>", "Eve <script> (eve@example.test) invited you", "Teams: R&D",
                "http://localhost:8080/x?token=inv_1");
    }
}
