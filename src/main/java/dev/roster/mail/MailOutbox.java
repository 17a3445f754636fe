package dev.roster.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;

/**
 * Queues mail as part of a change. The message is a row written in the caller's transaction: if the change rolls
 * back, so does the message, and nothing is sent; once it commits, the message is delivered even if the SMTP server
 * is down for a while.
 */
@Service
public class MailOutbox {

    private static final int MAX_SUBJECT = 400;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    MailOutbox(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Queues a message and returns its outbox id. Must run inside the transaction of the change it belongs to. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(String recipient, String subject, String textBody, String htmlBody) {
        if (!EmailAddress.isValid(recipient)) {
            throw new IllegalArgumentException("not a valid recipient: " + recipient);
        }
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)""")
                .params(id, recipient, headerSafe(subject), textBody, htmlBody, now, now)
                .update();
        events.publishEvent(new MailEnqueued(id));
        return id;
    }

    /** Queues a message rendered from {@code templates/mail/<template>.txt} and {@code .html}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(String recipient, String subject, MailContent content) {
        return enqueue(recipient, subject, content.text(), content.html());
    }

    // Subjects carry names people typed (organization, inviter); a line break there must not become a new header.
    static String headerSafe(String subject) {
        String oneLine = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() > MAX_SUBJECT ? oneLine.substring(0, MAX_SUBJECT - 1) + "…" : oneLine;
    }
}
