package dev.roster.security;

import java.time.Clock;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.account.PasswordChanged;
import dev.roster.mail.MailOutbox;
import dev.roster.mail.MailTemplates;
import dev.roster.shared.RosterProperties;
import dev.roster.shared.web.DisplayTime;

/**
 * Tells the owner of an account by email that its password changed, so a change they did not make does not go
 * unnoticed. Queued in the transaction that set the password (the outbox sends it after the commit, and a change that
 * rolls back sends nothing).
 */
@Component
class PasswordChangeNotice {

    private final AccountService accounts;
    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final RosterProperties roster;
    private final Clock clock;

    PasswordChangeNotice(AccountService accounts, MailOutbox outbox, MailTemplates templates, RosterProperties roster,
                         Clock clock) {
        this.accounts = accounts;
        this.outbox = outbox;
        this.templates = templates;
        this.roster = roster;
        this.clock = clock;
    }

    @EventListener
    void passwordChanged(PasswordChanged event) {
        Account account = accounts.get(event.accountId());
        outbox.enqueue(account.email(), "Your Roster password was changed", templates.render("password-changed",
                Map.of("name", account.displayName(), "when", DisplayTime.inWords(clock.instant()),
                        "resetLink", roster.url("/password-reset"))));
    }
}
