package dev.roster.mail;

import java.util.Date;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * One SMTP connection for the messages of one dispatch run, opened on the first message, so a batch does not connect
 * once per message; dropped after a failure, so the next message starts on a fresh connection. Connects as Spring's
 * {@link JavaMailSenderImpl} does (its session, host, port and credentials); any other sender sends each message by
 * itself.
 */
final class SmtpSession implements AutoCloseable {

    private final JavaMailSender sender;
    private Transport transport;

    SmtpSession(JavaMailSender sender) {
        this.sender = sender;
    }

    /** Sends one message, keeping the Message-ID it carries (the outbox row's, stable across attempts). */
    void send(MimeMessage message) throws MessagingException {
        if (!(sender instanceof JavaMailSenderImpl impl)) {
            sender.send(message);
            return;
        }
        if (message.getSentDate() == null) {
            message.setSentDate(new Date());
        }
        String messageId = message.getMessageID();
        message.saveChanges();
        if (messageId != null) {
            // saveChanges() makes up a new Message-ID; a resend must be recognisable as the same message.
            message.setHeader("Message-ID", messageId);
        }
        if (transport == null || !transport.isConnected()) {
            transport = connect(impl);
        }
        transport.sendMessage(message, message.getAllRecipients());
    }

    /** Forgets the connection after a failure: its state is unknown. */
    void reset() {
        close();
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            }
            catch (MessagingException ignored) {
                // It is being dropped anyway.
            }
            transport = null;
        }
    }

    private static Transport connect(JavaMailSenderImpl impl) throws MessagingException {
        String protocol = impl.getProtocol() == null ? "smtp" : impl.getProtocol();
        Transport transport = impl.getSession().getTransport(protocol);
        String username = impl.getUsername();
        String password = impl.getPassword();
        transport.connect(impl.getHost(), impl.getPort(), username == null || username.isEmpty() ? null : username,
                password == null || password.isEmpty() ? null : password);
        return transport;
    }
}
