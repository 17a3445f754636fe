package dev.roster.mail;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Roster sends mail. The SMTP server itself is Spring's {@code spring.mail.*} (ROSTER_SMTP_HOST and friends);
 * when {@code spring.mail.host} is blank, delivery is off and mail stays in the outbox.
 *
 * @param from         the sender address of every message
 * @param logLinks     log invitation links at INFO (the demo profile turns it on, so links work without SMTP)
 * @param maxAttempts  delivery attempts before a message is given up
 * @param retryDelay   the wait after the first failed attempt; it doubles with every further failure
 * @param maxRetryDelay the longest wait between two attempts
 * @param claimTimeout how long one instance holds a message it is sending before another may try it; longer than
 *                     the SMTP connect, write and read timeouts together (checked at start-up), so a crashed
 *                     instance's message is retried and a slow server's is not sent twice
 */
@ConfigurationProperties("roster.mail")
public record MailSettings(@DefaultValue("roster@localhost") String from,
                           @DefaultValue("false") boolean logLinks,
                           @DefaultValue("10") int maxAttempts,
                           @DefaultValue("30s") Duration retryDelay,
                           @DefaultValue("1h") Duration maxRetryDelay,
                           @DefaultValue("10m") Duration claimTimeout) {

    public MailSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("roster.mail.max-attempts must be at least 1");
        }
    }

    /** The wait before the next attempt after {@code failedAttempts} failures (1 or more). */
    Duration backoff(int failedAttempts) {
        Duration delay = retryDelay;
        for (int i = 1; i < failedAttempts && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
