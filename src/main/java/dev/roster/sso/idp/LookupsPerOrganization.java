package dev.roster.sso.idp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How many lookups in IdPs' APIs one organization may have running at once on this instance, over all its
 * connections and both APIs (Okta's and Microsoft Graph): an organization can make as many connections as it likes.
 * A lookup runs on the request thread of the sign-in (or admin page) that asked, and those threads serve every
 * organization. An organization controls its own IdP and its API's address, so without a limit it could hold as many
 * of them as it posts sign-ins, each for up to the lookup's deadline, and starve every other organization's sign-ins,
 * SCIM and admin requests.
 * <p>
 * Past the limit a lookup is not attempted: it fails at once with {@link LookupRefused}, as a lookup whose API failed
 * does, and the sign-in goes on with the person's groups unknown. Each refusal is counted in
 * {@code roster.sso.group_lookups.refused} by API (not by organization: one series per organization would grow
 * without bound), and the organization is named in a warning at most once a minute, so that whoever makes it refuse
 * cannot flood the log. Why fail fast rather than queue, and why per organization rather than per connection:
 * docs/decisions/0026-idp-lookups-limited-per-organization.md.
 */
@Component
final class LookupsPerOrganization {

    static final String REFUSED = "roster.sso.group_lookups.refused";

    private static final Logger log = LoggerFactory.getLogger(LookupsPerOrganization.class);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final int limit;
    private final MeterRegistry meters;
    private final Clock clock;

    /**
     * Lookups running, by organization. Only organizations with a lookup running have an entry: the first lookup
     * makes it and the last removes it, and every count is checked and changed under the map's lock for the
     * organization ({@code compute}), so the map holds no more entries than there are lookups running (bounded by the
     * request threads) however many organizations come and go. A {@code Semaphore} per organization would need the
     * same lock to be removed when idle: acquired outside it, a permit could be taken from one that is being removed
     * while the next lookup makes a new one, and the organization would get the limit twice over.
     */
    private final Map<UUID, Integer> running = new ConcurrentHashMap<>();

    /** When each organization was last warned about, for those warned within the last minute (and a few older). */
    private final Map<UUID, Instant> warned = new ConcurrentHashMap<>();

    @Autowired
    LookupsPerOrganization(GroupLookupProperties properties, MeterRegistry meters, Clock clock) {
        this(properties.maxConcurrentPerOrganization(), meters, clock);
    }

    LookupsPerOrganization(int limit, MeterRegistry meters, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("roster.sso.group-lookup.max-concurrent-per-organization must be at "
                    + "least 1 (it is " + limit + ")");
        }
        this.limit = limit;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * A limit of the default size that no other client shares, its refusals counted in a registry of its own: for
     * clients that tests build outside Spring.
     */
    static LookupsPerOrganization unshared() {
        return new LookupsPerOrganization(GroupLookupProperties.defaults(), new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    /**
     * The limit as one API's lookups take from it.
     *
     * @param api the API's tag on the refusals' counter ({@code okta}, {@code graph})
     */
    ForApi forApi(String api) {
        return new ForApi(Counter.builder(REFUSED)
                .description("IdP API lookups not attempted because their organization had as many running as it may")
                .tag("api", api).register(meters));
    }

    /** How many lookups the organization has running; for tests. */
    int running(UUID organizationId) {
        return running.getOrDefault(organizationId, 0);
    }

    /** How many organizations have a lookup running; for tests. */
    int organizationsRunning() {
        return running.size();
    }

    private boolean take(UUID organizationId) {
        boolean[] taken = {false};
        running.compute(organizationId, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void release(UUID organizationId) {
        // Back to none removes the entry (a null from the function).
        running.computeIfPresent(organizationId, (id, count) -> count > 1 ? count - 1 : null);
    }

    private void warnAtMostEveryMinute(UUID organizationId) {
        Instant now = clock.instant();
        boolean[] due = {false};
        warned.compute(organizationId, (id, last) -> {
            if (last != null && now.isBefore(last.plus(WARNING_INTERVAL))) {
                return last;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return;
        }
        // Entries older than a minute would warn again at their next refusal anyway: forget them, so the map holds
        // the organizations refused in the last minute or so, not every one ever refused.
        warned.entrySet().removeIf(entry -> !now.isBefore(entry.getValue().plus(WARNING_INTERVAL)));
        log.warn("Organization {} has {} IdP API lookups running on this instance, the most one organization may "
                + "(roster.sso.group-lookup.max-concurrent-per-organization): its further lookups are refused at "
                + "once, and those sign-ins go on with the person's groups unknown (logged at most once a minute per "
                + "organization; {} counts every refusal)", organizationId, limit, REFUSED);
    }

    /** The limit as one API's lookups take from it, with that API's counter of refusals. */
    final class ForApi {

        private final Counter refused;

        private ForApi(Counter refused) {
            this.refused = refused;
        }

        /**
         * Runs the lookup if the organization has fewer than the limit running, and gives its place back however it
         * ends (an answer, a failure, its deadline); otherwise throws {@link LookupRefused} without running it.
         */
        <T> T run(UUID organizationId, Supplier<T> lookup) {
            if (!take(organizationId)) {
                refused.increment();
                warnAtMostEveryMinute(organizationId);
                throw new LookupRefused("the lookup was not attempted: this organization already has " + limit
                        + " lookups running in its identity providers' APIs, the most Roster runs at once for one "
                        + "organization; try again in a moment");
            }
            try {
                return lookup.get();
            }
            finally {
                release(organizationId);
            }
        }
    }
}
