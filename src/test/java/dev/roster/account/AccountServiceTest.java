package dev.roster.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * An address has one account: the unique key decides, without a look-up first, and a refused create leaves the
 * caller's transaction usable, so a provisioning request that lost a race to a concurrent one reads the account
 * that won and goes on (on PostgreSQL a failed INSERT would otherwise abort the whole transaction).
 */
@RosterIntegrationTest
class AccountServiceTest {

    @Autowired
    AccountService accounts;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aSecondAccountForAnAddressIsRefusedWhateverItsCase() {
        String email = TestData.uniqueEmail("once");
        accounts.create(new EmailAddress(email), "Once", null, Actor.system("test"));
        assertThatThrownBy(() -> accounts.create(new EmailAddress(email.toUpperCase()), "Twice", null,
                Actor.system("test")))
                .isInstanceOfSatisfying(ConflictException.class,
                        ex -> assertThat(ex.getMessage()).contains("exists"));
    }

    @Test
    void theTransactionGoesOnAfterARefusedCreate() {
        String email = TestData.uniqueEmail("raced");
        Account first = accounts.create(new EmailAddress(email), "First", null, Actor.system("test"));
        Account found = new TransactionTemplate(transactions).execute(status -> {
            // The refusal must happen (else this test would pass with a silently doubled account) and must
            // leave the transaction usable: the concurrent request's account is there to use.
            assertThatThrownBy(() -> accounts.create(new EmailAddress(email), "Second", null, Actor.system("test")))
                    .isInstanceOf(ConflictException.class);
            assertThat(status.isRollbackOnly()).isFalse();
            return accounts.findByEmail(email).orElseThrow();
        });
        assertThat(found.id()).isEqualTo(first.id());
        assertThat(found.displayName()).isEqualTo("First");
    }
}
