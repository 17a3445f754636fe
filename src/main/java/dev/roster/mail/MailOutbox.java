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

    /**
     * Queues a message about the recipient's own account (a password reset, a notice of a change to it), which belongs
     * to no organization, and returns its outbox id. Must run inside the transaction of the change it belongs to.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(String recipient, String subject, MailContent content) {
        return insert(null, recipient, subject, content);
    }

    /**
     * Queues a message about an organization (an invitation, a notice to its admins) and returns its outbox id. It is
     * held, unsent, while the organization is deleted (from the next poll on, even when it was queued before the
     * deletion), goes out if the organization is restored, and is purged with the organization's other rows. Must run
     * inside the transaction of the change it belongs to.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(UUID organizationId, String recipient, String subject, MailContent content) {
        if (organizationId == null) {
            throw new IllegalArgumentException("mail about an organization names it");
        }
        return insert(organizationId, recipient, subject, content);
    }

    private UUID insert(UUID organizationId, String recipient, String subject, MailContent content) {
        if (!EmailAddress.isValid(recipient)) {
            throw new IllegalArgumentException("not a valid recipient: " + recipient);
        }
        UUID id = Ids.newId();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO mail_outbox (id, organization_id, recipient, subject, text_body, html_body, created_at,
                                         next_attempt_at, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)""")
                .params(id, organizationId, recipient, headerSafe(subject), content.text(), content.html(), now, now)
                .update();
        events.publishEvent(new MailEnqueued(id));
        return id;
    }

    // Subjects carry names people typed (organization, inviter); a line break there must not become a new header.
    static String headerSafe(String subject) {
        String oneLine = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() > MAX_SUBJECT ? oneLine.substring(0, MAX_SUBJECT - 1) + "…" : oneLine;
    }
}
