package dev.roster.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Delivers due outbox messages over SMTP. Several instances may run it against one database: a message is first
 * claimed by a conditional UPDATE that only one of them can win, and only the winner sends it. A claim lapses after
 * {@link MailSettings#claimTimeout()}, so the message of an instance that died mid-send is tried again.
 * Every statement commits on its own; no transaction is held open while the SMTP server is talking. Claimed
 * messages go out over one SMTP connection per batch.
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
            List<Message> due = jdbc.sql("""
                    SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox
                    WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                      AND (claimed_until IS NULL OR claimed_until < ?)
                    ORDER BY next_attempt_at, id LIMIT ?""")
                    .params(settings.maxAttempts(), Timestamp.from(now), Timestamp.from(now), BATCH)
                    .query(MailDispatcher::map).list();
            // Every failed attempt moves a message's next attempt into the future, so a claim won here means
            // nobody has touched the row since it was read.
            List<Message> claimed = due.stream().filter(message -> claim(message.id())).toList();
            sent += send(claimed);
            // A short batch means nothing else is due; a batch that others claimed entirely is theirs to finish.
            if (due.size() < BATCH || claimed.isEmpty()) {
                return sent;
            }
        }
    }

    /** Claims one message and, if the claim is won, sends it. */
    Outcome dispatch(UUID id) {
        if (!claim(id)) {
            return Outcome.NOT_CLAIMED;
        }
        Message message = jdbc.sql("""
                SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox WHERE id = ?""")
                .param(id).query(MailDispatcher::map).single();
        return send(List.of(message)) == 1 ? Outcome.SENT : Outcome.FAILED;
    }

    private boolean claim(UUID id) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE mail_outbox SET claimed_until = ?
                WHERE id = ? AND sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                  AND (claimed_until IS NULL OR claimed_until < ?)""")
                .params(Timestamp.from(now.plus(settings.claimTimeout())), id, settings.maxAttempts(),
                        Timestamp.from(now), Timestamp.from(now))
                .update() > 0;
    }

    private static Message map(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getObject("id", UUID.class), rs.getString("recipient"), rs.getString("subject"),
                rs.getString("text_body"), rs.getString("html_body"), rs.getInt("attempts"));
    }

    /** Sends claimed messages over one SMTP connection and records each one's outcome; returns how many went out. */
    private int send(List<Message> messages) {
        Map<MimeMessage, Message> prepared = new LinkedHashMap<>();
        for (Message message : messages) {
            try {
                prepared.put(mime(message), message);
            }
            catch (MessagingException | RuntimeException ex) {
                failed(message, ex);
            }
        }
        if (prepared.isEmpty()) {
            return 0;
        }
        Map<Object, Exception> failures = Map.of();
        try {
            sender.send(prepared.keySet().toArray(MimeMessage[]::new));
        }
        catch (MailSendException ex) {
            failures = ex.getFailedMessages().isEmpty() ? everyOne(prepared.keySet(), ex) : ex.getFailedMessages();
        }
        catch (RuntimeException ex) {
            // Anything that stops delivery counts as a failed attempt, so a bad message cannot loop forever.
            failures = everyOne(prepared.keySet(), ex);
        }
        List<UUID> delivered = new ArrayList<>();
        for (Map.Entry<MimeMessage, Message> entry : prepared.entrySet()) {
            Exception failure = failures.get(entry.getKey());
            if (failure == null) {
                delivered.add(entry.getValue().id());
            }
            else {
                failed(entry.getValue(), failure);
            }
        }
        if (!delivered.isEmpty()) {
            // The bodies carry live secrets (invitation links); once delivered they need not stay in the database.
            jdbc.sql("""
                    UPDATE mail_outbox SET sent_at = :now, attempts = attempts + 1, claimed_until = NULL,
                                           last_error = NULL, text_body = '', html_body = ''
                    WHERE id IN (:ids)""")
                    .param("now", Timestamp.from(clock.instant())).param("ids", delivered).update();
        }
        return delivered.size();
    }

    private MimeMessage mime(Message message) throws MessagingException {
        MimeMessage mime = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(message.recipient());
        helper.setSubject(message.subject());
        helper.setText(message.text(), message.html());
        return mime;
    }

    private static Map<Object, Exception> everyOne(Iterable<MimeMessage> messages, Exception ex) {
        Map<Object, Exception> all = new HashMap<>();
        messages.forEach(message -> all.put(message, ex));
        return all;
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
