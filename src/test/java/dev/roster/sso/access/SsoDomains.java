package dev.roster.sso.access;

import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.audit.AuditLog;
import dev.roster.sso.connection.SsoConnectionRepository;

/** For tests outside this package that need the domain service with a DNS of their own. */
public final class SsoDomains {

    private SsoDomains() {
    }

    public static SsoDomainService withDns(JdbcClient jdbc, DnsTxtResolver dns, AuditLog audit, Clock clock) {
        return new SsoDomainService(new SsoDomainRepository(jdbc), dns, audit, clock);
    }

    /** An admin's verification (consent while SSO is enforced) over a domain service with a DNS of its own. */
    public static DomainVerification verification(SsoDomainService withDns, SsoBreakGlass breakGlass,
                                                  SsoConnectionRepository connections) {
        return new DomainVerification(withDns, breakGlass, connections);
    }
}
