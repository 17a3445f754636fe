package dev.roster.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Delivers due outbox messages over SMTP. Several instances may run it against one database: a message is first
 * claimed by a conditional UPDATE that only one of them can win, and only the winner sends it. A claim lapses after
 * {@link MailSettings#claimTimeout()}, so the message of an instance that died mid-send is tried again.
 * Every statement commits on its own; no transaction is held open while the SMTP server is talking.
 */
class MailDispatcher {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    private static final int BATCH = 50;
    private static final int MAX_ERROR = 1000;

    enum Outcome { SENT, FAILED, NOT_CLAIMED }

    private record Message(UUID id, String recipient, String subject, String text, String html, int attempts) {
    }

    private final JdbcClient jdbc;
    private final JavaMailSender sender;
    private final MailSettings settings;
    private final Clock clock;

    MailDispatcher(JdbcClient jdbc, JavaMailSender sender, MailSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
    }

    /** Sends every message that is due and not claimed by another instance; returns how many were sent. */
    int dispatchDue() {
        int sent = 0;
        while (true) {
            Instant now = clock.instant();
            List<UUID> due = jdbc.sql("""
                    SELECT id FROM mail_outbox
                    WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                      AND (claimed_until IS NULL OR claimed_until < ?)
                    ORDER BY next_attempt_at, id LIMIT ?""")
                    .params(settings.maxAttempts(), Timestamp.from(now), Timestamp.from(now), BATCH)
                    .query(UUID.class).list();
            int claimed = 0;
            for (UUID id : due) {
                Outcome outcome = dispatch(id);
                if (outcome != Outcome.NOT_CLAIMED) {
                    claimed++;
                }
                if (outcome == Outcome.SENT) {
                    sent++;
                }
            }
            // A short batch means nothing else is due; a batch that others claimed entirely is theirs to finish.
            if (due.size() < BATCH || claimed == 0) {
                return sent;
            }
        }
    }

    /** Claims one message and, if the claim is won, sends it. */
    Outcome dispatch(UUID id) {
        Instant now = clock.instant();
        int won = jdbc.sql("""
                UPDATE mail_outbox SET claimed_until = ?
                WHERE id = ? AND sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                  AND (claimed_until IS NULL OR claimed_until < ?)""")
                .params(Timestamp.from(now.plus(settings.claimTimeout())), id, settings.maxAttempts(),
                        Timestamp.from(now), Timestamp.from(now))
                .update();
        if (won == 0) {
            return Outcome.NOT_CLAIMED;
        }
        Message message = jdbc.sql("""
                SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox WHERE id = ?""")
                .param(id)
                .query((rs, row) -> new Message(rs.getObject("id", UUID.class), rs.getString("recipient"),
                        rs.getString("subject"), rs.getString("text_body"), rs.getString("html_body"),
                        rs.getInt("attempts")))
                .single();
        try {
            send(message);
        }
        catch (MessagingException | RuntimeException ex) {
            // Anything that stops this message counts as a failed attempt, so a bad message cannot loop forever.
            failed(message, ex);
            return Outcome.FAILED;
        }
        // The bodies carry live secrets (invitation links); once delivered they need not stay in the database.
        jdbc.sql("""
                UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = NULL,
                                       text_body = '', html_body = ''
                WHERE id = ?""")
                .params(Timestamp.from(clock.instant()), id).update();
        return Outcome.SENT;
    }

    private void send(Message message) throws MessagingException {
        MimeMessage mime = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(message.recipient());
        helper.setSubject(message.subject());
        helper.setText(message.text(), message.html());
        sender.send(mime);
    }

    private void failed(Message message, Exception ex) {
        int attempts = message.attempts() + 1;
        String error = describe(ex);
        Instant now = clock.instant();
        if (attempts >= settings.maxAttempts()) {
            log.error("Giving up on mail {} to {} after {} attempts: {}", message.id(), message.recipient(), attempts,
                    error);
            jdbc.sql("""
                    UPDATE mail_outbox SET attempts = ?, last_error = ?, claimed_until = NULL,
                                           text_body = '', html_body = ''
                    WHERE id = ?""")
                    .params(attempts, error, message.id()).update();
            return;
        }
        Instant next = now.plus(settings.backoff(attempts));
        log.warn("Could not send mail {} to {} (attempt {} of {}), trying again at {}: {}", message.id(),
                message.recipient(), attempts, settings.maxAttempts(), next, error);
        jdbc.sql("""
                UPDATE mail_outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, claimed_until = NULL
                WHERE id = ?""")
                .params(attempts, error, Timestamp.from(next), message.id()).update();
    }

    private static String describe(Exception ex) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        String text = ex.getClass().getSimpleName() + ": " + ex.getMessage()
                + (cause != ex ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : "");
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }
}
