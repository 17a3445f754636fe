package dev.roster.mail;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Whether mail actually leaves Roster, so that pages do not promise an email that will wait in the outbox: delivery
 * is on only with an SMTP server ({@code spring.mail.host}, ROSTER_SMTP_HOST).
 */
@Component
public class MailStatus {

    private final boolean deliveryOn;
    private final boolean linksLogged;

    @Autowired
    MailStatus(Environment environment, MailSettings settings) {
        this(StringUtils.hasText(environment.getProperty("spring.mail.host", "")), settings.logLinks());
    }

    public MailStatus(boolean deliveryOn, boolean linksLogged) {
        this.deliveryOn = deliveryOn;
        this.linksLogged = linksLogged;
    }

    public boolean deliveryOn() {
        return deliveryOn;
    }

    /** Invitation and password reset links are written to the log ({@code roster.mail.log-links}). */
    public boolean linksLogged() {
        return linksLogged;
    }

    /** Why a message someone expects may not arrive, in words for the page; null while delivery is on. */
    public String whyNoMail() {
        if (deliveryOn) {
            return null;
        }
        return "Mail delivery is off on this Roster (no SMTP server is set), so no email was sent"
                + (linksLogged ? "; the link is in Roster's log." : "; it waits in the outbox and goes out once an "
                + "operator sets one (ROSTER_SMTP_HOST).");
    }
}
