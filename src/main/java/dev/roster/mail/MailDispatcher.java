package dev.roster.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.net.SocketTimeoutException;
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

import dev.roster.organization.OrganizationJoins;

/**
 * Delivers due outbox messages over SMTP. Several instances may run it against one database: each message is claimed,
 * right before it is sent, by a conditional UPDATE that only one of them can win, and only the winner sends it.
 * <p>
 * <b>Once per intent.</b> The claim marks the attempt (attempts + 1) before anything is sent, and holds the message
 * for {@link MailSettings#claimTimeout()}, which start-up checks is longer than the whole SMTP exchange of one
 * message (connect, write and read timeouts), so no other instance or poll sends it while this one may still be
 * waiting for the server's answer. A claim lapses only when the instance died mid-send; then the message is tried
 * again. Every message carries a Message-ID made from its outbox id, the same on every attempt: when an attempt's
 * outcome is unknown (the server took the message but its answer did not come in time), the resend is recognisable
 * as the same message, and a relay or mailbox that deduplicates by Message-ID keeps one. Delivery is at least once;
 * at most once per Message-ID where the relay deduplicates.
 * <p>
 * Every statement commits on its own; no transaction is held open while the SMTP server is talking. The messages of
 * one run go out over one SMTP connection.
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

    /**
     * A message that may go out: one about no organization, or about a live one. A deleted organization's mail is held
     * (and not counted as waiting) until the organization is restored or purged, so nobody hears from an organization
     * that no longer exists; the claim checks it too, so a deletion committed after a poll read its batch still holds
     * what the poll had not sent yet.
     */
    static final String NOT_HELD = " (organization_id IS NULL OR" + OrganizationJoins.isLive("organization_id") + ") ";

    /** The Message-ID of an outbox row: the same on every attempt, so a resend is recognisable. */
    String messageId(UUID id) {
        String from = settings.from();
        int at = from.lastIndexOf('@');
        String domain = at >= 0 && at < from.length() - 1 ? from.substring(at + 1).replace(">", "").trim() : "roster";
        return "<" + id + "@" + (domain.isEmpty() ? "roster" : domain) + ">";
    }

    /** Sends every message that is due and not claimed by another instance; returns how many were sent. */
    int dispatchDue() {
        int sent = 0;
        while (true) {
            Instant now = clock.instant();
            List<Message> due = jdbc.sql("""
                    SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox
                    WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                      AND (claimed_until IS NULL OR claimed_until < ?) AND""" + NOT_HELD + """
                    ORDER BY next_attempt_at, id LIMIT ?""")
                    .params(settings.maxAttempts(), Timestamp.from(now), Timestamp.from(now), BATCH)
                    .query(MailDispatcher::map).list();
            int claimed = 0;
            try (SmtpSession smtp = new SmtpSession(sender)) {
                for (Message message : due) {
                    // Claimed one by one, just before sending: a claim covers one SMTP exchange, not a batch.
                    if (claim(message.id())) {
                        claimed++;
                        sent += send(smtp, message, message.attempts() + 1) ? 1 : 0;
                    }
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
        if (!claim(id)) {
            return Outcome.NOT_CLAIMED;
        }
        Message message = jdbc.sql("""
                SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox WHERE id = ?""")
                .param(id).query(MailDispatcher::map).single();
        try (SmtpSession smtp = new SmtpSession(sender)) {
            return send(smtp, message, message.attempts()) ? Outcome.SENT : Outcome.FAILED;
        }
    }

    /** Wins the message for this instance and counts the attempt, both before anything is sent. */
    private boolean claim(UUID id) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE mail_outbox SET claimed_until = ?, attempts = attempts + 1, last_attempt_at = ?
                WHERE id = ? AND sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
                  AND (claimed_until IS NULL OR claimed_until < ?) AND""" + NOT_HELD)
                .params(Timestamp.from(now.plus(settings.claimTimeout())), Timestamp.from(now), id,
                        settings.maxAttempts(), Timestamp.from(now), Timestamp.from(now))
                .update() > 0;
    }

    private static Message map(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getObject("id", UUID.class), rs.getString("recipient"), rs.getString("subject"),
                rs.getString("text_body"), rs.getString("html_body"), rs.getInt("attempts"));
    }

    /**
     * Sends one claimed message and records the outcome; true if the server accepted it. {@code attempt} is the
     * number of this attempt, which the claim has already counted.
     */
    private boolean send(SmtpSession smtp, Message message, int attempt) {
        try {
            smtp.send(mime(message));
        }
        catch (MessagingException | RuntimeException ex) {
            // Anything that stops delivery counts as a failed attempt, so a bad message cannot loop forever.
            smtp.reset();
            failed(message, attempt, ex);
            return false;
        }
        // The bodies carry live secrets (invitation links); once delivered they need not stay in the database.
        jdbc.sql("""
                UPDATE mail_outbox SET sent_at = ?, claimed_until = NULL, last_error = NULL, text_body = '',
                                       html_body = ''
                WHERE id = ?""")
                .params(Timestamp.from(clock.instant()), message.id()).update();
        return true;
    }

    private MimeMessage mime(Message message) throws MessagingException {
        MimeMessage mime = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(message.recipient());
        helper.setSubject(message.subject());
        helper.setText(message.text(), message.html());
        mime.setHeader("Message-ID", messageId(message.id()));
        return mime;
    }

    private void failed(Message message, int attempts, Exception ex) {
        String error = describe(ex);
        if (outcomeUnknown(ex)) {
            error = "The server did not answer in time; the message may have been delivered, and a resend carries "
                    + "the same Message-ID. " + error;
        }
        error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        Instant now = clock.instant();
        if (attempts >= settings.maxAttempts()) {
            log.error("Giving up on mail {} to {} after {} attempts: {}", message.id(), message.recipient(), attempts,
                    error);
            jdbc.sql("""
                    UPDATE mail_outbox SET last_error = ?, claimed_until = NULL, text_body = '', html_body = ''
                    WHERE id = ?""")
                    .params(error, message.id()).update();
            return;
        }
        Instant next = now.plus(settings.backoff(attempts));
        log.warn("Could not send mail {} to {} (attempt {} of {}), trying again at {}: {}", message.id(),
                message.recipient(), attempts, settings.maxAttempts(), next, error);
        jdbc.sql("""
                UPDATE mail_outbox SET last_error = ?, next_attempt_at = ?, claimed_until = NULL
                WHERE id = ?""")
                .params(error, Timestamp.from(next), message.id()).update();
    }

    /** A read that timed out: the server may have taken the message without its answer reaching Roster. */
    private static boolean outcomeUnknown(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
            if (cause instanceof MessagingException messaging && messaging.getNextException() != null
                    && messaging.getNextException() != cause.getCause() && outcomeUnknown(messaging.getNextException())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exception ex) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        return ex.getClass().getSimpleName() + ": " + ex.getMessage()
                + (cause != ex ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : "");
    }
}
