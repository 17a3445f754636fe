package dev.roster.linking;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.roster.audit.AuditTarget;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ratelimit.AuditBudgets;
import dev.roster.shared.ratelimit.Limit;

/**
 * Tells an organization that another organization's IdP or directory made a claim about one of its addresses and
 * was refused: an entry {@code linking.claim-refused} in the owner's audit log, naming who tried. The attempting
 * organization controls its IdP and directory and can repeat the claim at will, so each pair of organizations has a
 * budget of {@value #LIMIT} entries that refills over an hour; claims beyond it are counted, and the next entry
 * written says how many were left out. All instances take from one budget ({@link AuditBudgets}), so a claim repeated
 * through several instances is audited no more often than through one. The keys are bounded: pairs of organizations
 * that exist, the attempting one's IdP or directory having made the claim.
 */
@Component
class ClaimNotices {

    static final int LIMIT = 60;
    private static final Duration REFILL_PERIOD = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ClaimNotices.class);

    private final Refusals refusals;
    private final OrganizationService organizations;
    private final AuditBudgets budgets;

    ClaimNotices(Refusals refusals, OrganizationService organizations, AuditBudgets budgets) {
        this.refusals = refusals;
        this.organizations = organizations;
        this.budgets = budgets;
    }

    void claimRefused(AddressClaim claim, Channel channel) {
        OptionalLong left = budgets.take("claim-notice:" + claim.organizationId() + ":" + claim.ownerId(),
                new Limit(LIMIT, REFILL_PERIOD));
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
}
