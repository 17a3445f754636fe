package dev.roster.sso.saml;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.audit.AuditLog;
import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionService;

/**
 * Records a refused sign-in: its audit entry ({@code sso.login-denied}, or {@code sso.login-rejected} for a SAML
 * response that failed its checks) and the {@code sso.sign_in_refused} event
 * for host applications, together, in a transaction of their own. A refusal usually has no write transaction to join
 * (nothing changed), and when it happens inside one, that one rolls back with the refusal while the record must stay.
 */
@Component
public class SignInRefusals {

    private final AuditLog audit;
    private final Events events;
    private final TransactionTemplate transaction;

    SignInRefusals(AuditLog audit, Events events, PlatformTransactionManager transactions) {
        this.audit = audit;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A connection as a refusal names it. */
    record ConnectionRef(java.util.UUID id, String name, String kind) {
    }

    /** {@code details}: {@code reason} (a stable code), {@code detail}, {@code email} and the IdP's groups when known. */
    public void record(SsoConnection connection, String auditAction, Map<String, Object> details) {
        Actor actor = SsoSignIn.actor(connection);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection", new ConnectionRef(connection.id(), connection.name(),
                connection.kind().name().toLowerCase(java.util.Locale.ROOT)));
        data.putAll(details);
        transaction.executeWithoutResult(status -> {
            audit.recordStandalone(connection.organizationId(), actor, auditAction,
                    SsoConnectionService.target(connection), details);
            events.publish(connection.organizationId(), EventType.SSO_SIGN_IN_REFUSED, actor, data);
        });
    }
}
