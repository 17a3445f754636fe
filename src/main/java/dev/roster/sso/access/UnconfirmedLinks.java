package dev.roster.sso.access;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.account.AddressProven;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;

/**
 * Closes "account pre-hijacking": an organization's IdP that was first to name an address no organization verified
 * (an email grant) created the account, and the link it made is the IdP's word, not the address owner's. When the
 * owner proves the mailbox (a password reset), those links fall back to needing the owner's confirmation, like any
 * link to an existing account, so an IdP cannot keep a way into an account that has since become someone's.
 * Runs in the reset's transaction.
 */
@Component
class UnconfirmedLinks {

    private static final Logger log = LoggerFactory.getLogger(UnconfirmedLinks.class);

    private final SsoAccessRepository access;
    private final AccountService accounts;
    private final AuditLog audit;

    UnconfirmedLinks(SsoAccessRepository access, AccountService accounts, AuditLog audit) {
        this.access = access;
        this.accounts = accounts;
        this.audit = audit;
    }

    @EventListener
    void addressProven(AddressProven event) {
        Account account = accounts.get(event.accountId());
        for (UUID organizationId : access.unconfirmNewAccountLinks(event.accountId())) {
            log.info("SSO links of {} in organization {} need the owner's confirmation again", account.email(),
                    organizationId);
            audit.record(organizationId, Actor.system("password reset"), "sso.link-unconfirmed",
                    AuditTarget.of("account", account.id(), account.email()),
                    Map.of("basis", "NEW_ACCOUNT"), Map.of("reason", "the address's owner proved the mailbox"));
        }
    }
}
