package dev.roster.sso.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SecondInstance;
import dev.roster.sso.SsoProperties;

/**
 * The audit budget of refused SAML responses is counted by all instances together: a flood spread over two
 * instances by a load balancer writes as many audit entries as it would through one, and every refusal left out is
 * still counted by the instance that left it out.
 */
@RosterIntegrationTest
class SharedRefusalBudgetTest {

    @AfterAll
    static void stopTheSecondInstance() {
        SecondInstance.stop();
    }

    @Autowired
    RefusalAuditBudget onA;
    @Autowired
    SsoProperties properties;
    @Autowired
    SharedBuckets buckets;

    @Test
    void twoInstancesTogetherAuditTheBudgetOfOneConnectionAndReason() {
        assumeTrue(buckets.sharedByAllInstances(), "limits are shared on PostgreSQL");
        RefusalAuditBudget onB = SecondInstance.context().getBean(RefusalAuditBudget.class);
        UUID connection = UUID.randomUUID();
        int limit = properties.refusalAuditLimit();
        int flood = limit * 2 + 10;
        int audited = 0;
        int[] leftOut = new int[2];
        for (int i = 0; i < flood; i++) {
            OptionalLong take = (i % 2 == 0 ? onA : onB).take(connection, "invalid_signature");
            if (take.isPresent()) {
                audited++;
                assertThat(take.getAsLong()).as("nothing left out before the budget was spent").isZero();
            }
            else {
                leftOut[i % 2]++;
            }
        }
        assertThat(audited).isEqualTo(limit);
        assertThat(leftOut[0]).isPositive();
        assertThat(leftOut[1]).isPositive();
        assertThat(leftOut[0] + leftOut[1]).isEqualTo(flood - limit);

        // Another reason, another connection: budgets of their own.
        assertThat(onB.take(connection, "invalid_destination")).isPresent();
        assertThat(onA.take(UUID.randomUUID(), "invalid_signature")).isPresent();
    }
}
