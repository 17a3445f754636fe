package dev.roster.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

@Service
public class AccountService {

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, AuditLog audit,
                   ApplicationEventPublisher events, Clock clock) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates an account. {@code password} may be null for people who only sign in through SSO.
     * <p>
     * An address that has an account is refused with a {@link ConflictException} that leaves the caller's
     * transaction as it was (nothing has been written by then): a provisioning request that lost a race to a
     * concurrent one for the same person reads the account that won and goes on, instead of failing at commit.
     */
    @Transactional(noRollbackFor = ConflictException.class)
    public Account create(EmailAddress email, String displayName, String password, Actor actor) {
        return createUnlessTaken(email, displayName, password, actor).orElseThrow(
                () -> new ConflictException("account-exists", "An account with this email address exists."));
    }

    /**
     * {@link #create}, answering empty instead of refusing when an account has the address (another request may
     * have created it a moment ago): for a caller inside a transaction of its own, which then reads the account that
     * won. The unique key decides, and the insert leaves the transaction usable either way.
     */
    @Transactional
    public Optional<Account> createUnlessTaken(EmailAddress email, String displayName, String password, Actor actor) {
        return createUnlessTaken(Ids.newId(), email, displayName, password, actor);
    }

    /**
     * {@link #createUnlessTaken(EmailAddress, String, String, Actor)} with the account's id chosen by the caller: a
     * SCIM user is written with its link to the account it is about to get (decision 0023). A fresh id, never one
     * read from a request.
     */
    @Transactional
    public Optional<Account> createUnlessTaken(UUID id, EmailAddress email, String displayName, String password,
                                               Actor actor) {
        String name = checkDisplayName(displayName);
        if (password != null) {
            PasswordPolicy.check("password", password);
        }
        Instant now = clock.instant();
        Account account = new Account(id, email.value(), name, password != null, now, now);
        if (!accounts.insert(account, password == null ? null : passwordEncoder.encode(password))) {
            return Optional.empty();
        }
        audit.recordAccountChange(account.id(), actor, "account.created", target(account), null,
                Map.of("email", account.email(), "displayName", account.displayName()));
        return Optional.of(account);
    }

    @Transactional(readOnly = true)
    public Optional<Account> find(UUID id) {
        return accounts.findById(id);
    }

    /**
     * Locks the account's row until the caller's transaction ends, so that requests about one person at once (a
     * password reset's hourly budget) are counted one after the other. Joins the caller's transaction: a lock outside
     * one would be released at once.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(UUID id) {
        accounts.lock(id);
    }

    public Account get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException("Account not found."));
    }

    @Transactional(readOnly = true)
    public Optional<Account> findByEmail(String email) {
        return accounts.findByEmail(email);
    }

    /**
     * How many accounts with a password have an address at one of the domains: the people who would lose password
     * sign-in if those domains were signed in through SSO only.
     */
    @Transactional(readOnly = true)
    public long countWithPasswordAt(java.util.Collection<String> domains) {
        return accounts.countWithPasswordAt(domains);
    }

    /** Checks a password; false for unknown accounts and accounts without one (SSO only). */
    @Transactional(readOnly = true)
    public boolean passwordMatches(UUID accountId, String rawPassword) {
        return accounts.passwordHash(accountId).map(hash -> passwordEncoder.matches(rawPassword, hash)).orElse(false);
    }

    @Transactional
    public Account updateProfile(UUID id, String displayName, Actor actor) {
        Account before = get(id);
        String name = checkDisplayName(displayName);
        if (name.equals(before.displayName())) {
            return before;
        }
        accounts.updateDisplayName(id, name, clock.instant());
        Account after = get(id);
        audit.recordAccountChange(id, actor, "account.profile-changed", target(after),
                Map.of("displayName", before.displayName()), Map.of("displayName", after.displayName()));
        return after;
    }

    /**
     * Sets a new password; the current one must be given when the account has one. Publishes {@link PasswordChanged},
     * on which the person's other browser sessions end: whoever knew the old password is signed out too.
     */
    @Transactional
    public void changePassword(UUID id, String currentPassword, String newPassword, Actor actor) {
        Account account = get(id);
        if (account.hasPassword() && (currentPassword == null || !passwordMatches(id, currentPassword))) {
            throw InvalidRequestException.field("currentPassword", "The current password is not right.");
        }
        PasswordPolicy.check("newPassword", newPassword);
        accounts.updatePassword(id, passwordEncoder.encode(newPassword), clock.instant());
        audit.recordAccountChange(id, actor, "account.password-changed", target(account), null, null);
        events.publishEvent(new PasswordChanged(id));
    }

    /**
     * Sets a new password without the current one, for someone who proved they own the address (a password reset
     * link). Publishes {@link PasswordChanged}, so every browser session of the account ends, and
     * {@link AddressProven}.
     */
    @Transactional
    public void resetPassword(UUID id, String newPassword, Actor actor) {
        Account account = get(id);
        PasswordPolicy.check("newPassword", newPassword);
        accounts.updatePassword(id, passwordEncoder.encode(newPassword), clock.instant());
        audit.recordAccountChange(id, actor, "account.password-reset", target(account), null, null);
        events.publishEvent(new PasswordChanged(id));
        events.publishEvent(new AddressProven(id));
    }

    private static String checkDisplayName(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            throw InvalidRequestException.field("displayName", "A name is required.");
        }
        String trimmed = displayName.trim();
        if (trimmed.length() > 200) {
            throw InvalidRequestException.field("displayName", "A name has at most 200 characters.");
        }
        return trimmed;
    }

    private static AuditTarget target(Account account) {
        return AuditTarget.of("account", account.id(), account.email());
    }
}
