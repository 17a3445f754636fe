package dev.roster.sso.access;

import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.audit.AuditLog;

/** For tests outside this package that need the domain service with a DNS of their own. */
public final class SsoDomains {

    private SsoDomains() {
    }

    public static SsoDomainService withDns(JdbcClient jdbc, DnsTxtResolver dns, AuditLog audit, Clock clock) {
        return new SsoDomainService(new SsoDomainRepository(jdbc), dns, audit, clock);
    }
}
