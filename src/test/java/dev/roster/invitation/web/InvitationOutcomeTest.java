package dev.roster.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.roster.invitation.InviteResult;
import dev.roster.mail.MailStatus;

class InvitationOutcomeTest {

    private final InviteResult invited = new InviteResult("ada@example.test", InviteResult.Outcome.INVITED,
            UUID.randomUUID());

    @Test
    void anEmailIsPromisedOnlyWhenMailIsDelivered() {
        assertThat(InvitationManagePageController.Outcome.of(invited, new MailStatus(true, false)).explanation())
                .isEqualTo("An invitation email is on its way.");
        String off = InvitationManagePageController.Outcome.of(invited, new MailStatus(false, true)).explanation();
        assertThat(off).doesNotContain("on its way").contains("no email was sent", "log");
    }
}
