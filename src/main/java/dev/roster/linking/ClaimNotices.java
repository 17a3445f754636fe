package dev.roster.linking;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.roster.audit.AuditTarget;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;

/**
 * Tells an organization that another organization's IdP or directory made a claim about one of its addresses and
 * was refused: an entry {@code linking.claim-refused} in the owner's audit log, naming who tried. The attempting
 * organization controls its IdP and directory and can repeat the claim at will, so each pair of organizations has a
 * budget of {@value #LIMIT} entries that refills over an hour; claims beyond it are counted, and the next entry
 * written says how many were left out. Counted in each instance's memory.
 */
@Component
class ClaimNotices {

    static final int LIMIT = 60;
    private static final Duration REFILL_PERIOD = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ClaimNotices.class);

    private final Refusals refusals;
    private final OrganizationService organizations;
    private final Clock clock;
    private final ConcurrentMap<Pair, Bucket> buckets = new ConcurrentHashMap<>();

    ClaimNotices(Refusals refusals, OrganizationService organizations, Clock clock) {
        this.refusals = refusals;
        this.organizations = organizations;
        this.clock = clock;
    }

    void claimRefused(AddressClaim claim, Channel channel) {
        OptionalLong left = buckets.computeIfAbsent(new Pair(claim.organizationId(), claim.ownerId()),
                pair -> new Bucket(clock.millis())).take(clock.millis());
        if (left.isEmpty()) {
            log.debug("Claim of {} by organization {} refused (owner not told again within the hour)",
                    claim.address().value(), claim.organizationId());
            return;
        }
        Organization attempting = organizations.get(claim.organizationId());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", claim.address().value());
        details.put("channel", channel.name());
        details.put("organization", attempting.slug());
        details.put("organizationName", attempting.name());
        if (left.getAsLong() > 0) {
            details.put("notAuditedBefore", left.getAsLong());
        }
        refusals.record(claim.ownerId(), Actor.system("account-linking policy"), "linking.claim-refused",
                AuditTarget.of("address", null, claim.address().value()), details);
    }

    private record Pair(UUID attempting, UUID owner) {
    }

    private static final class Bucket {

        private double entries = LIMIT;
        private long updatedAt;
        private long suppressed;

        Bucket(long now) {
            this.updatedAt = now;
        }

        synchronized OptionalLong take(long now) {
            entries = Math.min(LIMIT, entries + Math.max(0, now - updatedAt) * (double) LIMIT / REFILL_PERIOD.toMillis());
            updatedAt = Math.max(updatedAt, now);
            if (entries < 1) {
                suppressed++;
                return OptionalLong.empty();
            }
            entries--;
            long left = suppressed;
            suppressed = 0;
            return OptionalLong.of(left);
        }
    }
}
