package dev.roster.invitation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.shared.Actor;

/**
 * Marks invitations that ran out as expired and publishes {@code invitation.expired} for each, exactly once across
 * every instance. An invitation reads as expired the moment its time is up, whether or not it is marked; marking is
 * what makes the event. The claim is the update itself: {@code PENDING} to {@code EXPIRED}, row by row, and only the
 * transaction whose update changed the row publishes, so two instances sweeping at once (the second waits for the
 * first's row lock, then finds the row no longer pending) never publish the same expiry twice.
 */
@Component
class InvitationExpiry {

    /** The actor of expiries: nobody did it, time did. */
    static final Actor ACTOR = Actor.system("invitation expiry");

    private static final Logger log = LoggerFactory.getLogger(InvitationExpiry.class);
    static final int BATCH = 500;

    private final InvitationRepository invitations;
    private final InvitationEvents events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    InvitationExpiry(InvitationRepository invitations, InvitationEvents events, TransactionTemplate transaction,
                     Clock clock) {
        this.invitations = invitations;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${roster.invitations.expiry-sweep:PT1M}",
            initialDelayString = "${roster.invitations.expiry-sweep:PT1M}")
    void scheduled() {
        try {
            sweep();
        }
        catch (RuntimeException ex) {
            log.warn("Could not mark expired invitations; the next sweep tries again: {}", ex.toString());
        }
    }

    /** Marks every invitation whose time is up; returns how many this call marked (and published). */
    int sweep() {
        int total = 0;
        while (true) {
            int[] result = transaction.execute(status -> sweepOnce());
            total += result[1];
            if (result[0] < BATCH) {
                return total;
            }
        }
    }

    /** One batch: {how many were due, how many this transaction marked}. */
    private int[] sweepOnce() {
        Instant now = clock.instant();
        List<InvitationRow> due = invitations.dueToExpire(now, BATCH);
        int[] updated = invitations.markExpired(due, now);
        Map<UUID, List<InvitationRow>> marked = new LinkedHashMap<>();
        for (int i = 0; i < due.size(); i++) {
            if (updated[i] > 0) {
                marked.computeIfAbsent(due.get(i).organizationId(), org -> new ArrayList<>()).add(due.get(i));
            }
        }
        marked.forEach((organizationId, rows) -> events.expired(organizationId, rows, ACTOR));
        return new int[] {due.size(), marked.values().stream().mapToInt(List::size).sum()};
    }
}
