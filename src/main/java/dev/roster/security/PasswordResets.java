package dev.roster.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.mail.MailOutbox;
import dev.roster.mail.MailSettings;
import dev.roster.mail.MailTemplates;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.RosterProperties;
import dev.roster.shared.SecretToken;
import dev.roster.shared.web.DisplayTime;

/**
 * "Forgot your password?": a link by email that lets the owner of the address choose a new password. Asking says the
 * same whatever the address (no way to learn who has an account); nothing is sent for unknown addresses, for
 * addresses whose organization makes them sign in through SSO, or past {@link PasswordResetProperties#perHour()}.
 * The link works once and for {@link PasswordResetProperties#ttl()}; a new password spends every link of the account
 * and ends every browser session (through {@link AccountService#resetPassword}). The second factor is still asked at
 * the next sign-in: a reset proves the address, not the phone.
 */
@Service
public class PasswordResets {

    static final String TOKEN_PREFIX = "roster_pwr_";
    private static final Logger log = LoggerFactory.getLogger(PasswordResets.class);

    private final PasswordResetRepository resets;
    private final AccountService accounts;
    private final List<PasswordSignInPolicy> policies;
    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final MailSettings mail;
    private final RosterProperties roster;
    private final PasswordResetProperties properties;
    private final Clock clock;

    PasswordResets(PasswordResetRepository resets, AccountService accounts, List<PasswordSignInPolicy> policies,
                   MailOutbox outbox, MailTemplates templates, MailSettings mail, RosterProperties roster,
                   PasswordResetProperties properties, Clock clock) {
        this.resets = resets;
        this.accounts = accounts;
        this.policies = policies;
        this.outbox = outbox;
        this.templates = templates;
        this.mail = mail;
        this.roster = roster;
        this.properties = properties;
        this.clock = clock;
    }

    /** A link asked for, to choose a new password. */
    public record Reset(UUID id, Account account) {
    }

    /** Sends a link to the address if it may have one; says nothing about whether it did. */
    @Transactional
    public void request(String email) {
        Optional<Account> account = EmailAddress.parse(email).flatMap(address -> accounts.findByEmail(address.value()));
        if (account.isEmpty()) {
            return;
        }
        Account person = account.get();
        if (policies.stream().anyMatch(policy -> policy.refuse(person.email()).isPresent()
                && !policy.exempts(person.id(), person.email()))) {
            log.info("No password reset for account {}: its organization signs it in through SSO", person.id());
            return;
        }
        Instant now = clock.instant();
        // The account row is locked so that requests at once cannot all pass the count below.
        accounts.lock(person.id());
        long recent = resets.countSince(person.id(), now.minus(Duration.ofHours(1)));
        if (recent >= properties.perHour()) {
            log.info("No password reset for account {}: {} links sent in the last hour", person.id(), recent);
            return;
        }
        SecretToken.Issued token = SecretToken.issue(TOKEN_PREFIX);
        Instant expiresAt = now.plus(properties.ttl());
        resets.insert(Ids.newId(), person.id(), token, now, expiresAt);
        String link = roster.url("/password-reset/choose?token=" + token.value());
        outbox.enqueue(person.email(), "Choose a new Roster password", templates.render("password-reset", Map.of(
                "name", person.displayName(), "link", link, "expiresAt", DisplayTime.inWords(expiresAt),
                "validFor", validFor())));
        if (mail.logLinks()) {
            log.info("Password reset link for {}: {}", person.email(), link);
        }
    }

    /** The reset a link stands for, while it still works. */
    @Transactional(readOnly = true)
    public Optional<Reset> find(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return resets.findByLookup(SecretToken.lookup(token))
                .filter(candidate -> SecretToken.matches(token, candidate.hash()) && !candidate.used()
                        && candidate.expiresAt().isAfter(now))
                .flatMap(candidate -> accounts.find(candidate.accountId()).map(a -> new Reset(candidate.id(), a)));
    }

    /** Sets the new password through the link, once; every other link of the account stops working too. */
    @Transactional
    public Account complete(String token, String newPassword, String confirmation) {
        Reset reset = find(token).orElseThrow(() -> new InvalidRequestException(
                "This link no longer works: it was used, or it expired. Ask for a new one."));
        if (newPassword == null || !newPassword.equals(confirmation)) {
            throw InvalidRequestException.field("confirmPassword", "The two new passwords are not the same.");
        }
        if (!resets.spend(reset.id(), clock.instant())) {
            throw new InvalidRequestException("This link no longer works: it was used, or it expired. Ask for a new one.");
        }
        Account account = reset.account();
        accounts.resetPassword(account.id(), newPassword, Actor.account(account.id(), account.email(), Channel.UI));
        resets.spendAll(account.id(), clock.instant());
        return account;
    }

    /** How long a link works, in words. */
    public String validFor() {
        return describe(properties.ttl());
    }

    private static String describe(Duration ttl) {
        long minutes = ttl.toMinutes();
        if (minutes % 60 == 0) {
            return minutes == 60 ? "one hour" : (minutes / 60) + " hours";
        }
        return minutes + " minutes";
    }
}
