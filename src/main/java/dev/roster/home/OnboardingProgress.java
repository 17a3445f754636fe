package dev.roster.home;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a newcomer has done of the checklist that nothing else records: looked at their teams and projects, opened
 * an organization's getting-started page, dismissed the checklist. Everything else ticks itself from where it lives
 * (the profile, two-factor, API tokens).
 */
@Component
class OnboardingProgress {

    static final String TEAMS_SEEN = "teams-seen";
    static final String GUIDE_OPENED = "guide-opened";
    static final String DISMISSED = "dismissed";

    private final JdbcClient jdbc;
    private final Clock clock;

    OnboardingProgress(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a step once; {@code organizationId} null for the account's own. */
    void record(UUID accountId, UUID organizationId, String step) {
        if (done(accountId).contains(key(organizationId, step))) {
            return;
        }
        // Two requests at once may both insert: a repeated row changes nothing that is read.
        jdbc.sql("INSERT INTO onboarding_step (account_id, organization_id, step, done_at) VALUES (?, ?, ?, ?)")
                .params(accountId, organizationId, step, Timestamp.from(clock.instant()))
                .update();
    }

    /** The steps done, as {@code step} for the account's own and {@code organizationId:step} for an organization's. */
    Set<String> done(UUID accountId) {
        return new HashSet<>(jdbc.sql("SELECT organization_id, step FROM onboarding_step WHERE account_id = ?")
                .param(accountId)
                .query((rs, row) -> key(rs.getObject("organization_id", UUID.class), rs.getString("step"))).list());
    }

    static String key(UUID organizationId, String step) {
        return organizationId == null ? step : organizationId + ":" + step;
    }
}
