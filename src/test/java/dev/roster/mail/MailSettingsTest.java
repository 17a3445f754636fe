package dev.roster.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MailSettingsTest {

    @Test
    void backoffDoublesUpToTheCap() {
        MailSettings settings = new MailSettings("roster@localhost", false, 10, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(2));

        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.backoff(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.backoff(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(settings.backoff(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.backoff(40)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void subjectsStayOnOneLine() {
        assertThat(MailOutbox.headerSafe("Join Evil\r\nBcc: victim@example.test")).isEqualTo(
                "Join Evil Bcc: victim@example.test");
    }

    @Test
    void theStartupWarningDoesNotAskForLinksInTheLogWhenTheyAreThere() {
        assertThat(MailDelivery.offWarning(true)).contains("are written to this log")
                .doesNotContain("set roster.mail.log-links");
        assertThat(MailDelivery.offWarning(false)).contains("set roster.mail.log-links=true");
    }

    @Test
    void pagesSayWhyNoMailWasSent() {
        assertThat(new MailStatus(true, true).whyNoMail()).isNull();
        assertThat(new MailStatus(false, true).whyNoMail()).contains("no email was sent", "in Roster's log");
        assertThat(new MailStatus(false, false).whyNoMail()).contains("no email was sent", "outbox")
                .doesNotContain("log");
    }
}
