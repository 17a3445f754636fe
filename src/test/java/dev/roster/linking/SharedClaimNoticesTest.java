package dev.roster.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SecondInstance;
import dev.roster.test.TestData;

/**
 * Another organization can repeat a refused claim of an owner's address at will; the owner's audit log gets at most
 * the budget's entries for the pair, however many instances the claims are spread over by a load balancer.
 */
@RosterIntegrationTest
class SharedClaimNoticesTest {

    @AfterAll
    static void stopTheSecondInstance() {
        SecondInstance.stop();
    }

    @Autowired
    ClaimNotices onA;
    @Autowired
    SharedBuckets buckets;
    @Autowired
    TestData testData;
    @Autowired
    AuditLog audit;

    @Test
    void twoInstancesTogetherTellTheOwnerNoMoreOftenThanOne() {
        assumeTrue(buckets.sharedByAllInstances(), "budgets are shared on PostgreSQL");
        ClaimNotices onB = SecondInstance.context().getBean(ClaimNotices.class);
        TestData.Org owner = testData.org();
        TestData.Org attempting = testData.org();
        AddressClaim claim = new AddressClaim(EmailAddress.parse("ceo@" + owner.organization().slug() + ".test").orElseThrow(),
                attempting.id(), owner.id());
        int flood = ClaimNotices.LIMIT * 2 + 10;
        for (int i = 0; i < flood; i++) {
            (i % 2 == 0 ? onA : onB).claimRefused(claim, i % 3 == 0 ? Channel.SSO : Channel.SCIM);
        }

        List<AuditEvent> told = told(owner);
        assertThat(told).as("the owner's audit entries for one attempting organization, from both instances")
                .hasSize(ClaimNotices.LIMIT);
        assertThat(told.get(0).after().path("organization").asText()).isEqualTo(attempting.organization().slug());

        // Another attempting organization has a budget of its own.
        TestData.Org third = testData.org();
        onB.claimRefused(new AddressClaim(claim.address(), third.id(), owner.id()), Channel.SCIM);
        assertThat(told(owner)).hasSize(ClaimNotices.LIMIT + 1);
    }

    private List<AuditEvent> told(TestData.Org owner) {
        return audit.find(owner.id(), new AuditQuery(null, null, null, "linking.claim-refused", null, null, null),
                PageQuery.of(0, 500)).items();
    }
}
