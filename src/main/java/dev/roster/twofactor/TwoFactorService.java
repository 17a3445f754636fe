package dev.roster.twofactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.MemberReads;
import dev.roster.membership.OrgAccess;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ConflictException;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.SecretCipher;
import dev.roster.shared.SecretToken;
import dev.roster.shared.TooManyAttemptsException;
import dev.roster.twofactor.TwoFactorRepository.State;
import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;

/**
 * TOTP enrolment and verification. Codes come from the kept {@code dev.samstevens.totp} library; this class adds
 * what it leaves to us: replay protection (a code, once used, is spent), a lock-out after repeated wrong codes, and
 * hashed single-use recovery codes. Every check of a code locks the account's row first, so parallel guesses are
 * counted one after another and one code cannot be spent twice at the same moment.
 */
@Service
public class TwoFactorService {

    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    static final int ALLOWED_DRIFT_STEPS = 1;
    static final int MAX_FAILED_ATTEMPTS = 5;
    static final Duration LOCK_OUT = Duration.ofMinutes(5);
    static final int RECOVERY_CODES = 10;

    private final TwoFactorRepository factors;
    private final SecretCipher cipher;
    private final AccountService accounts;
    private final MemberReads members;
    private final AuditLog audit;
    private final Clock clock;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    TwoFactorService(TwoFactorRepository factors, SecretCipher cipher, AccountService accounts, MemberReads members,
                     AuditLog audit, Clock clock) {
        this.factors = factors;
        this.cipher = cipher;
        this.accounts = accounts;
        this.members = members;
        this.audit = audit;
        this.clock = clock;
    }

    /** A started enrolment: the secret to type in, the otpauth URI, and the same URI as a QR code PNG data URI. */
    public record Enrolment(String secret, String otpauthUri, String qrCodeDataUri) {
    }

    /**
     * Where an account stands: two-factor on, or set-up started and not confirmed; the recovery codes left; the
     * organizations that require it.
     */
    public record Status(boolean enabled, boolean pending, int remainingRecoveryCodes, List<String> requiredBy) {
    }

    @Transactional(readOnly = true)
    public Status status(UUID accountId) {
        Optional<State> state = state(accountId, false);
        boolean enabled = state.map(State::confirmed).orElse(false);
        return new Status(enabled, state.isPresent() && !enabled, enabled ? remainingRecoveryCodes(accountId) : 0,
                organizationsRequiringIt(accountId));
    }

    @Transactional(readOnly = true)
    public boolean isEnrolled(UUID accountId) {
        return factors.isConfirmed(accountId);
    }

    /** The names of the organizations the account is an active member of that require two-factor. */
    @Transactional(readOnly = true)
    public List<String> organizationsRequiringIt(UUID accountId) {
        return members.activeOrganizations(accountId).stream().filter(OrgAccess::requireTwoFactor)
                .map(OrgAccess::organizationName).toList();
    }

    /**
     * Starts (or restarts) enrolment with a fresh secret. Two-factor is not on until {@link #confirm} sees a code
     * from the authenticator app, so a half-finished enrolment never locks anyone out.
     */
    @Transactional
    public Enrolment begin(UUID accountId, String issuer) {
        if (isEnrolled(accountId)) {
            throw new ConflictException("two-factor-enabled", "Two-factor authentication is already on.");
        }
        Account account = accounts.get(accountId);
        String secret = new DefaultSecretGenerator(32).generate();
        factors.restart(accountId, cipher.encrypt(secret), clock.instant());
        return enrolment(account, secret, issuer);
    }

    /** The enrolment started and not yet confirmed, so the set-up page can show its QR code again. */
    @Transactional(readOnly = true)
    public Optional<Enrolment> pending(UUID accountId, String issuer) {
        return state(accountId, false).filter(state -> !state.confirmed())
                .map(state -> enrolment(accounts.get(accountId), cipher.decrypt(state.secret()), issuer));
    }

    /** Turns two-factor on when the code matches the pending secret; returns the recovery codes, shown once. */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public List<String> confirm(UUID accountId, String code, Actor actor) {
        State state = state(accountId, true).orElseThrow(() -> new ConflictException("two-factor-not-started",
                "Start two-factor set-up first."));
        if (state.confirmed()) {
            throw new ConflictException("two-factor-enabled", "Two-factor authentication is already on.");
        }
        checkCode(accountId, state, normalizeCode(code));
        factors.confirm(accountId, clock.instant());
        List<String> recovery = replaceRecoveryCodes(accountId);
        audit.recordAccountChange(accountId, actor, "two-factor.enabled", target(accountId), null,
                Map.of("recoveryCodes", recovery.size()));
        return recovery;
    }

    /**
     * Verifies a sign-in code: a current TOTP code, or one of the recovery codes (which is then spent). Wrong codes
     * count towards a lock-out that holds across every Roster instance.
     */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public void verify(UUID accountId, String code) {
        State state = enrolledState(accountId);
        prove(accountId, state, code, Actor.account(accountId, accounts.get(accountId).email(), Channel.UI));
    }

    /**
     * Turns two-factor off after the caller proves a current code or a recovery code, unless an organization the
     * account belongs to requires it.
     */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public void disable(UUID accountId, String code, Actor actor) {
        State state = enrolledState(accountId);
        List<String> requiring = organizationsRequiringIt(accountId);
        if (!requiring.isEmpty()) {
            throw new ConflictException("two-factor-required", String.join(", ", requiring)
                    + " require" + (requiring.size() == 1 ? "s" : "")
                    + " two-factor authentication, so it cannot be turned off.");
        }
        prove(accountId, state, code, actor);
        factors.delete(accountId);
        audit.recordAccountChange(accountId, actor, "two-factor.disabled", target(accountId), null, null);
    }

    /** Replaces every recovery code after the caller proves a current code or a recovery code. */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public List<String> regenerateRecoveryCodes(UUID accountId, String code, Actor actor) {
        State state = enrolledState(accountId);
        prove(accountId, state, code, actor);
        List<String> fresh = replaceRecoveryCodes(accountId);
        audit.recordAccountChange(accountId, actor, "two-factor.recovery-codes-regenerated", target(accountId), null,
                Map.of("recoveryCodes", fresh.size()));
        return fresh;
    }

    @Transactional(readOnly = true)
    public int remainingRecoveryCodes(UUID accountId) {
        return factors.remainingRecoveryCodes(accountId);
    }

    private State enrolledState(UUID accountId) {
        return state(accountId, true).filter(State::confirmed).orElseThrow(() -> new ConflictException(
                "two-factor-not-enabled", "Two-factor authentication is not on for this account."));
    }

    /** Accepts a current TOTP code or an unused recovery code (spending it); anything else counts as a failure. */
    private void prove(UUID accountId, State state, String code, Actor actor) {
        String trimmed = normalizeCode(code);
        if (trimmed.length() <= DIGITS) {
            checkCode(accountId, state, trimmed);
            return;
        }
        ensureNotLocked(state);
        if (!useRecoveryCode(accountId, trimmed)) {
            fail(accountId, state);
        }
        resetFailures(accountId);
        audit.recordAccountEvent(accountId, actor, "two-factor.recovery-code-used", target(accountId),
                Map.of("remaining", remainingRecoveryCodes(accountId)));
    }

    private void checkCode(UUID accountId, State state, String code) {
        ensureNotLocked(state);
        if (!code.matches("\\d{" + DIGITS + "}")) {
            fail(accountId, state);
        }
        String secret = cipher.decrypt(state.secret());
        long currentStep = clock.instant().getEpochSecond() / PERIOD_SECONDS;
        for (long step = currentStep - ALLOWED_DRIFT_STEPS; step <= currentStep + ALLOWED_DRIFT_STEPS; step++) {
            if (step > state.lastUsedStep() && SecretToken.matches(code, SecretToken.sha256Hex(generate(secret, step)))) {
                factors.spendStep(accountId, step);
                return;
            }
        }
        for (long step = currentStep - ALLOWED_DRIFT_STEPS; step <= currentStep + ALLOWED_DRIFT_STEPS; step++) {
            if (step <= state.lastUsedStep() && SecretToken.matches(code, SecretToken.sha256Hex(generate(secret, step)))) {
                // Right code, spent already: the clock is fine, the person only has to wait for the next one. Still a
                // failure for the lock-out, so replays cannot be used to probe.
                fail(accountId, state, "That code was used already. Wait for the next code in your app (a new one "
                        + "comes every " + PERIOD_SECONDS + " seconds) and enter that.");
            }
        }
        fail(accountId, state);
    }

    private String generate(String secret, long step) {
        try {
            return codes.generate(secret, step);
        }
        catch (CodeGenerationException ex) {
            throw new IllegalStateException("cannot generate TOTP code", ex);
        }
    }

    private void ensureNotLocked(State state) {
        Instant now = clock.instant();
        if (state.lockedUntil() != null && now.isBefore(state.lockedUntil())) {
            throw new TooManyAttemptsException("Too many wrong codes. Try again in a few minutes.",
                    Duration.between(now, state.lockedUntil()));
        }
    }

    private void fail(UUID accountId, State state) {
        fail(accountId, state, "That code is not right. Check the time on your device.");
    }

    private void fail(UUID accountId, State state, String message) {
        int failures = state.failedAttempts() + 1;
        Instant lockedUntil = failures >= MAX_FAILED_ATTEMPTS ? clock.instant().plus(LOCK_OUT) : null;
        factors.recordFailures(accountId, lockedUntil == null ? failures : 0, lockedUntil);
        if (lockedUntil != null) {
            throw new TooManyAttemptsException("Too many wrong codes. Try again in a few minutes.", LOCK_OUT);
        }
        throw InvalidRequestException.field("code", message);
    }

    private void resetFailures(UUID accountId) {
        factors.resetFailures(accountId);
    }

    private boolean useRecoveryCode(UUID accountId, String code) {
        String hash = SecretToken.sha256Hex(normalizeRecovery(code));
        return factors.useRecoveryCode(accountId, hash, clock.instant());
    }

    private List<String> replaceRecoveryCodes(UUID accountId) {
        List<String> fresh = new ArrayList<>(List.of(new RecoveryCodeGenerator().generateCodes(RECOVERY_CODES)));
        factors.replaceRecoveryCodes(accountId,
                fresh.stream().map(code -> SecretToken.sha256Hex(normalizeRecovery(code))).toList());
        return fresh;
    }

    private static String normalizeCode(String code) {
        return code == null ? "" : code.replace(" ", "").trim();
    }

    private static String normalizeRecovery(String code) {
        return code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private Enrolment enrolment(Account account, String secret, String issuer) {
        QrData data = new QrData.Builder().label(account.email()).secret(secret).issuer(issuer)
                .algorithm(HashingAlgorithm.SHA1).digits(DIGITS).period(PERIOD_SECONDS).build();
        try {
            ZxingPngQrGenerator generator = new ZxingPngQrGenerator();
            String png = Base64.getEncoder().encodeToString(generator.generate(data));
            return new Enrolment(secret, data.getUri(), "data:" + generator.getImageMimeType() + ";base64," + png);
        }
        catch (QrGenerationException ex) {
            throw new IllegalStateException("cannot draw the QR code", ex);
        }
    }

    /** The account's two-factor row; {@code lock} holds it until the transaction ends. */
    private Optional<State> state(UUID accountId, boolean lock) {
        return factors.state(accountId, lock);
    }

    private AuditTarget target(UUID accountId) {
        return AuditTarget.of("account", accountId, accounts.get(accountId).email());
    }
}
