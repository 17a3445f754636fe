package dev.roster.test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * Mail that reached the test SMTP server ({@link TestEnvironment#greenMail()}), filtered by the recipients a test
 * made up, because every test shares the server. Delivery is asynchronous, so tests wait for what they expect.
 */
public final class TestMailbox {

    private TestMailbox() {
    }

    public record Mail(String to, String from, String subject, String text, String html) {
    }

    /** Waits up to 30 seconds until at least {@code count} messages reached these recipients, and returns them all. */
    public static List<Mail> await(Collection<String> recipients, int count) {
        Set<String> wanted = lowerCase(recipients);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        int received = count(wanted);
        while (received < count && Instant.now().isBefore(deadline)) {
            sleep(100);
            received = count(wanted);
        }
        if (received < count) {
            throw new AssertionError("expected " + count + " mails to " + recipients.size()
                    + " recipient(s) within 30 s, got " + received);
        }
        return receivedBy(recipients);
    }

    public static List<Mail> await(String recipient, int count) {
        return await(List.of(recipient), count);
    }

    /** What has reached these recipients so far. */
    public static List<Mail> receivedBy(Collection<String> recipients) {
        Set<String> wanted = lowerCase(recipients);
        List<Mail> result = new ArrayList<>();
        for (MimeMessage message : TestEnvironment.greenMail().getReceivedMessages()) {
            try {
                String address = recipient(message);
                if (address != null && wanted.contains(address)) {
                    result.add(new Mail(address, message.getFrom()[0].toString(), message.getSubject(),
                            part(message, "text/plain"), part(message, "text/html")));
                }
            }
            catch (MessagingException | IOException ex) {
                throw new IllegalStateException("cannot read a received message", ex);
            }
        }
        return result;
    }

    // Counting reads only the recipient header, so waiting for many messages stays cheap.
    private static int count(Set<String> wanted) {
        int count = 0;
        for (MimeMessage message : TestEnvironment.greenMail().getReceivedMessages()) {
            try {
                String address = recipient(message);
                if (address != null && wanted.contains(address)) {
                    count++;
                }
            }
            catch (MessagingException ex) {
                throw new IllegalStateException("cannot read a received message", ex);
            }
        }
        return count;
    }

    private static String recipient(MimeMessage message) throws MessagingException {
        Address[] to = message.getRecipients(Message.RecipientType.TO);
        return to == null || to.length == 0 ? null : to[0].toString().toLowerCase(Locale.ROOT);
    }

    private static Set<String> lowerCase(Collection<String> addresses) {
        return addresses.stream().map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return part.getContent().toString();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String found = part(body, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
