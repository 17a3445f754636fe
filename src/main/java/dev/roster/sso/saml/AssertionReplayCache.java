package dev.roster.sso.saml;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Assertion IDs already used, in the database so that every instance refuses a replay. An ID is kept until the
 * assertion would have expired anyway; the primary key makes two instances racing on one ID see exactly one winner.
 */
@Component
class AssertionReplayCache {

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    AssertionReplayCache(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        // Its own transaction, committed before the sign-in's starts: a spent ID stays spent when the sign-in after
        // it fails and rolls back (a captured response gets no second chance because the first attempt hit an
        // error), and a replay's primary-key violation aborts only this one statement's transaction, not a sign-in's
        // (PostgreSQL refuses every later statement of a transaction that had an error).
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * True the first time an assertion ID is seen for the connection, false for every later time. The insert is the
     * check: the primary key refuses an ID already spent, by this request's predecessors or by a concurrent one.
     */
    boolean firstUse(UUID connectionId, String assertionId, Instant keepUntil) {
        try {
            ownTransaction.executeWithoutResult(status -> jdbc.sql(
                            "INSERT INTO sso_assertion_replay (connection_id, assertion_id, expires_at) VALUES (?, ?, ?)")
                    .params(connectionId, assertionId, Timestamp.from(keepUntil)).update());
            return true;
        }
        catch (DataIntegrityViolationException spent) {
            return false;
        }
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
    void purgeExpired() {
        jdbc.sql("DELETE FROM sso_assertion_replay WHERE expires_at < ?").param(Timestamp.from(clock.instant())).update();
    }
}
