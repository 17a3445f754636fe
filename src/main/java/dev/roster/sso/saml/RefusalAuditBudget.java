package dev.roster.sso.saml;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.shared.ratelimit.AuditBudgets;
import dev.roster.shared.ratelimit.Limit;
import dev.roster.sso.SsoProperties;

/**
 * How many refused SAML responses go into the audit log. Anyone who knows a connection's ACS URL can post responses
 * that fail validation, so without a budget every such post would add a row. Each connection and reason has a budget
 * of {@code roster.sso.refusal-audit-limit} entries that refills evenly over an hour; refusals beyond it are counted,
 * and the next entry written says how many were left out. An admin chasing a misconfiguration (a rotated IdP
 * certificate, a wrong entity ID) still sees the refusals, a flood cannot grow the table without bound.
 * <p>
 * The budget is counted by all instances together ({@link AuditBudgets}), so several instances behind a load
 * balancer write no more entries than one would. The refusals left out are counted by the instance that left them
 * out, and reported by its next entry: added up over all entries they are every refusal left out. The keys are
 * bounded: only connections that exist are audited, and the reasons are Spring Security's fixed error codes.
 */
@Component
class RefusalAuditBudget {

    private static final Duration REFILL_PERIOD = Duration.ofHours(1);

    private final AuditBudgets budgets;
    private final int limit;

    RefusalAuditBudget(SsoProperties properties, AuditBudgets budgets) {
        this.limit = properties.refusalAuditLimit();
        this.budgets = budgets;
    }

    /**
     * Takes one entry from the budget of this connection and reason. Empty when the refusal should not be audited
     * (it is counted instead); otherwise the number of refusals this instance left out since it last audited one.
     */
    OptionalLong take(UUID connectionId, String reason) {
        if (limit <= 0) {
            return OptionalLong.of(0);
        }
        return budgets.take("saml-refusal:" + connectionId + ":" + reason, new Limit(limit, REFILL_PERIOD));
    }
}
