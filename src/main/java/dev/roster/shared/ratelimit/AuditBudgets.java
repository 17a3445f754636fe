package dev.roster.shared.ratelimit;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * Budgets for audit entries that someone outside an organization can cause as often as they like (a refused SAML
 * post to its ACS URL, another organization's refused claim of one of its addresses), so that they cannot grow the
 * audit log without bound or bury the entries that matter (decision 0013). A budget is a bucket all instances take
 * from together ({@link SharedBuckets}): several instances behind a load balancer write no more entries than one
 * would. The occurrences left out are counted by the instance that left them out and reported by its next entry, so
 * added up over all entries they are every occurrence left out.
 */
@Component
public class AuditBudgets {

    private final SharedBuckets buckets;
    private final ConcurrentMap<String, AtomicLong> leftOut = new ConcurrentHashMap<>();

    AuditBudgets(SharedBuckets buckets) {
        this.buckets = buckets;
    }

    /**
     * Takes one entry from the budget named {@code key} (from a bounded set, as {@link SharedBuckets#take} requires).
     * Empty when the occurrence should not be audited (it is counted instead); otherwise the number this instance
     * left out of that budget since it last audited one.
     */
    public OptionalLong take(String key, Limit limit) {
        AtomicLong counted = leftOut.computeIfAbsent(key, k -> new AtomicLong());
        if (!buckets.take(key, limit).taken()) {
            counted.incrementAndGet();
            return OptionalLong.empty();
        }
        return OptionalLong.of(counted.getAndSet(0));
    }
}
