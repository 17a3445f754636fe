package dev.roster.membership;

import java.util.Optional;
import java.util.UUID;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.roster.shared.NotFoundException;

/**
 * An account's membership of an organization as the current transaction holds it: its row locked
 * ({@code SELECT … FOR UPDATE}), or none. Only {@link MembershipService} makes one
 * ({@link MembershipService#lockByAccount}), and its methods that take one change the member without reading the row
 * again, keeping it up to date with what they write. A caller that must read the membership to decide (a SAML
 * sign-in) and then changes it reads it once.
 * <p>
 * It stands for the lock, so it is good only inside the transaction that took it: once that transaction ends, every
 * use fails, so a row read in one transaction can never be changed as though it were still locked in another.
 */
public final class LockedMembership {

    private final UUID organizationId;
    private final UUID accountId;
    private Membership row;
    private boolean open = true;

    private LockedMembership(UUID organizationId, UUID accountId, Membership row) {
        this.organizationId = organizationId;
        this.accountId = accountId;
        this.row = row;
    }

    /** Made inside a transaction only; it closes when the transaction ends. */
    static LockedMembership held(UUID organizationId, UUID accountId, Optional<Membership> row) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a membership is locked only inside a transaction");
        }
        LockedMembership locked = new LockedMembership(organizationId, accountId, row.orElse(null));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                locked.open = false;
            }
        });
        return locked;
    }

    public UUID organizationId() {
        return organizationId;
    }

    public UUID accountId() {
        return accountId;
    }

    /** The row as this transaction has it (with the changes made through {@link MembershipService} since). */
    public Optional<Membership> membership() {
        requireOpen();
        return Optional.ofNullable(row);
    }

    /** The live (not removed) member, as {@code MembershipService.lockLive} answers it. */
    Membership live() {
        return membership().filter(m -> m.status() != MembershipStatus.REMOVED)
                .orElseThrow(() -> new NotFoundException("Member not found."));
    }

    /** What the service has just written to the row. */
    void update(Membership written) {
        requireOpen();
        if (!written.organizationId().equals(organizationId) || !written.accountId().equals(accountId)) {
            throw new IllegalArgumentException("another account's membership");
        }
        row = written;
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("the transaction that locked this membership has ended");
        }
    }
}
