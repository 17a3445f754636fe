package dev.roster.linking;

import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;

/**
 * Writes the audit entry of a refusal in a transaction of its own: the request that was refused rolls back (an API
 * call answered 400, say), and the record that it was attempted must not roll back with it.
 */
@Component
class Refusals {

    private final AuditLog audit;
    private final TransactionTemplate ownTransaction;

    Refusals(AuditLog audit, PlatformTransactionManager transactions) {
        this.audit = audit;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void record(UUID organizationId, Actor actor, String action, AuditTarget target, Object details) {
        ownTransaction.executeWithoutResult(status -> audit.recordStandalone(organizationId, actor, action, target,
                details));
    }
}
