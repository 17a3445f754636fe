package dev.roster.mail;

import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
 * When mail goes out: straight after the transaction that queued it commits (on a small pool of its own, so the
 * request never waits for SMTP), and on a regular poll that retries failures and picks up what another instance or
 * a full queue left behind. With no SMTP host configured, delivery is off and messages stay in the outbox.
 */
@Component
class MailDelivery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailDelivery.class);

    private final MailDispatcher dispatcher;
    private final ThreadPoolExecutor executor;

    MailDelivery(JdbcClient jdbc, ObjectProvider<JavaMailSender> senders, MailSettings settings, Clock clock,
                 Environment environment) {
        String host = environment.getProperty("spring.mail.host", "");
        JavaMailSender sender = senders.getIfAvailable();
        if (!StringUtils.hasText(host) || sender == null) {
            log.warn("Mail delivery is off: spring.mail.host (ROSTER_SMTP_HOST) is not set. Messages stay in the "
                    + "outbox unsent; set roster.mail.log-links=true to see invitation links in the log.");
            this.dispatcher = null;
            this.executor = null;
            return;
        }
        log.info("Mail is delivered through {}:{} from {}", host, environment.getProperty("spring.mail.port", "25"),
                settings.from());
        this.dispatcher = new MailDispatcher(jdbc, sender, settings, clock);
        // Two senders keep a bulk invitation moving; when the queue is full the poll sends the rest.
        this.executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                new CustomizableThreadFactory("mail-"), new ThreadPoolExecutor.DiscardPolicy());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void afterCommit(MailEnqueued event) {
        if (dispatcher == null) {
            log.info("Mail delivery is off; message {} stays in the outbox.", event.id());
            return;
        }
        executor.execute(() -> {
            try {
                dispatcher.dispatch(event.id());
            }
            catch (RuntimeException ex) {
                log.warn("Could not dispatch mail {} now; the next poll retries it: {}", event.id(), ex.toString());
            }
        });
    }

    @Scheduled(fixedDelayString = "${roster.mail.poll-interval:PT5S}", initialDelayString = "${roster.mail.poll-interval:PT5S}")
    void poll() {
        if (dispatcher == null) {
            return;
        }
        try {
            dispatcher.dispatchDue();
        }
        catch (RuntimeException ex) {
            log.warn("Could not poll the mail outbox: {}", ex.toString());
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
