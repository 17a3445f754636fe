package dev.roster.mail;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.util.StringUtils;

/**
 * When mail goes out: straight after the transaction that queued it commits (on a thread of its own, so the request
 * never waits for SMTP), and on a regular poll that retries failures and picks up what another instance left
 * behind. With no SMTP host configured, delivery is off and messages stay in the outbox.
 */
@Component
class MailDelivery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);

    private final MailDispatcher dispatcher;
    private final ExecutorService executor;
    private final AtomicBoolean runQueued = new AtomicBoolean();

    static String offWarning(boolean linksLogged) {
        return "Mail delivery is off: spring.mail.host (ROSTER_SMTP_HOST) is not set. Messages stay in the outbox "
                + "unsent; " + (linksLogged ? "invitation and password reset links are written to this log "
                + "(roster.mail.log-links)." : "set roster.mail.log-links=true to see invitation links in the log.");
    }

    MailDelivery(JdbcClient jdbc, ObjectProvider<JavaMailSender> senders, MailSettings settings, Clock clock,
                 Environment environment) {
        String host = environment.getProperty("spring.mail.host", "");
        JavaMailSender sender = senders.getIfAvailable();
        if (!StringUtils.hasText(host) || sender == null) {
            log.warn(offWarning(settings.logLinks()));
            this.dispatcher = null;
            this.executor = null;
            return;
        }
        checkClaimOutlastsTheSmtpExchange(settings, environment);
        log.info("Mail is delivered through {}:{} from {}", host, environment.getProperty("spring.mail.port", "25"),
                settings.from());
        this.dispatcher = new MailDispatcher(jdbc, sender, settings, clock);
        this.executor = Executors.newSingleThreadExecutor(new CustomizableThreadFactory("mail-"));
    }

    /**
     * A message is claimed for {@code roster.mail.claim-timeout}; if one SMTP exchange could outlast the claim, another
     * instance could send the message again while the server is still answering the first attempt. So the claim must
     * be longer than the connect, write and read timeouts together, and those must be set (JavaMail waits for ever
     * by default).
     */
    static void checkClaimOutlastsTheSmtpExchange(MailSettings settings, Environment environment) {
        long total = 0;
        for (String name : new String[] {"connectiontimeout", "writetimeout", "timeout"}) {
            String key = "spring.mail.properties.mail.smtp." + name;
            Long millis = environment.getProperty(key, Long.class);
            if (millis == null || millis <= 0) {
                throw new IllegalStateException(key + " must be set to a positive number of milliseconds: without it "
                        + "an SMTP server that stops answering holds a message past its claim (roster.mail.claim-timeout)");
            }
            total += millis;
        }
        if (settings.claimTimeout().toMillis() <= total) {
            throw new IllegalStateException("roster.mail.claim-timeout (" + settings.claimTimeout() + ") must be longer "
                    + "than the SMTP connect, write and read timeouts together (" + total + " ms), or a slow server's "
                    + "message could be sent twice");
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void afterCommit(MailEnqueued event) {
        if (dispatcher == null) {
            log.info("Mail delivery is off; message {} stays in the outbox.", event.id());
            return;
        }
        // One run sends everything that is due, so a bulk change queues one run rather than one per message.
        // The flag is cleared as the run starts, so a commit during a run always gets a run after it.
        if (runQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                runQueued.set(false);
                dispatchDue();
            });
        }
    }

    @Scheduled(fixedDelayString = "${roster.mail.poll-interval:PT5S}", initialDelayString = "${roster.mail.poll-interval:PT5S}")
    void poll() {
        if (dispatcher != null) {
            dispatchDue();
        }
    }

    private void dispatchDue() {
        try {
            dispatcher.dispatchDue();
        }
        catch (RuntimeException ex) {
            log.warn("Could not work through the mail outbox; the next poll tries again: {}", ex.toString());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
