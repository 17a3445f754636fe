package dev.roster.twofactor;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ConflictException;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.SecretCipher;
import dev.roster.shared.SecretToken;
import dev.roster.shared.TooManyAttemptsException;
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
 * hashed single-use recovery codes.
 */
@Service
public class TwoFactorService {

    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    static final int ALLOWED_DRIFT_STEPS = 1;
    static final int MAX_FAILED_ATTEMPTS = 5;
    static final Duration LOCK_OUT = Duration.ofMinutes(5);
    static final int RECOVERY_CODES = 10;

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final AccountService accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    TwoFactorService(JdbcClient jdbc, SecretCipher cipher, AccountService accounts, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    /** A started enrolment: the secret to type in, the otpauth URI, and the same URI as a QR code PNG data URI. */
    public record Enrolment(String secret, String otpauthUri, String qrCodeDataUri) {
    }

    @Transactional(readOnly = true)
    public boolean isEnrolled(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM two_factor WHERE account_id = ? AND confirmed_at IS NOT NULL")
                .param(accountId).query(Integer.class).single() > 0;
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
        jdbc.sql("DELETE FROM two_factor WHERE account_id = ?").param(accountId).update();
        jdbc.sql("INSERT INTO two_factor (account_id, secret, created_at) VALUES (?, ?, ?)")
                .params(accountId, cipher.encrypt(secret), Timestamp.from(clock.instant())).update();
        return enrolment(account, secret, issuer);
    }

    /** Turns two-factor on when the code matches the pending secret; returns the recovery codes, shown once. */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public List<String> confirm(UUID accountId, String code, Actor actor) {
        State state = state(accountId).orElseThrow(() -> new ConflictException("two-factor-not-started",
                "Start two-factor set-up first."));
        if (state.confirmed()) {
            throw new ConflictException("two-factor-enabled", "Two-factor authentication is already on.");
        }
        checkCode(accountId, state, code);
        jdbc.sql("UPDATE two_factor SET confirmed_at = ? WHERE account_id = ?")
                .params(Timestamp.from(clock.instant()), accountId).update();
        List<String> recovery = replaceRecoveryCodes(accountId);
        audit.record(null, actor, "two-factor.enabled", target(accountId), null, null);
        return recovery;
    }

    /**
     * Verifies a sign-in code: a current TOTP code, or one of the recovery codes (which is then spent). Wrong codes
     * count towards a lock-out that holds across every Roster instance.
     */
    @Transactional(noRollbackFor = {InvalidRequestException.class, TooManyAttemptsException.class})
    public void verify(UUID accountId, String code) {
        State state = state(accountId).filter(State::confirmed).orElseThrow(() -> new ConflictException(
                "two-factor-not-enabled", "Two-factor authentication is not on for this account."));
        String trimmed = code == null ? "" : code.replace(" ", "").trim();
        if (trimmed.length() > DIGITS) {
            ensureNotLocked(state);
            if (useRecoveryCode(accountId, trimmed)) {
                resetFailures(accountId);
                audit.recordStandalone(null, Actor.account(accountId, accounts.get(accountId).email(),
                        Channel.UI), "two-factor.recovery-code-used", target(accountId), null);
                return;
            }
            fail(accountId, state);
        }
        checkCode(accountId, state, trimmed);
    }

    /** Turns two-factor off; the caller has proven a current code or the password. */
    @Transactional
    public void disable(UUID accountId, Actor actor) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = ?").param(accountId).update();
        if (jdbc.sql("DELETE FROM two_factor WHERE account_id = ?").param(accountId).update() > 0) {
            audit.record(null, actor, "two-factor.disabled", target(accountId), null, null);
        }
    }

    @Transactional
    public List<String> regenerateRecoveryCodes(UUID accountId, Actor actor) {
        if (!isEnrolled(accountId)) {
            throw new ConflictException("two-factor-not-enabled", "Two-factor authentication is not on.");
        }
        List<String> fresh = replaceRecoveryCodes(accountId);
        audit.record(null, actor, "two-factor.recovery-codes-regenerated", target(accountId), null, null);
        return fresh;
    }

    @Transactional(readOnly = true)
    public int remainingRecoveryCodes(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_code WHERE account_id = ? AND used_at IS NULL")
                .param(accountId).query(Integer.class).single();
    }

    private void checkCode(UUID accountId, State state, String code) {
        ensureNotLocked(state);
        if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
            fail(accountId, state);
        }
        String secret = cipher.decrypt(state.secret());
        long currentStep = clock.instant().getEpochSecond() / PERIOD_SECONDS;
        for (long step = currentStep - ALLOWED_DRIFT_STEPS; step <= currentStep + ALLOWED_DRIFT_STEPS; step++) {
            if (step > state.lastUsedStep() && SecretToken.matches(code, SecretToken.sha256Hex(generate(secret, step)))) {
                jdbc.sql("UPDATE two_factor SET last_used_step = ?, failed_attempts = 0, locked_until = NULL WHERE account_id = ?")
                        .params(step, accountId).update();
                return;
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
        int failures = state.failedAttempts() + 1;
        Instant lockedUntil = failures >= MAX_FAILED_ATTEMPTS ? clock.instant().plus(LOCK_OUT) : null;
        jdbc.sql("UPDATE two_factor SET failed_attempts = ?, locked_until = ? WHERE account_id = ?")
                .params(lockedUntil == null ? failures : 0, lockedUntil == null ? null : Timestamp.from(lockedUntil),
                        accountId)
                .update();
        if (lockedUntil != null) {
            throw new TooManyAttemptsException("Too many wrong codes. Try again in a few minutes.", LOCK_OUT);
        }
        throw InvalidRequestException.field("code", "That code is not right. Check the time on your device.");
    }

    private void resetFailures(UUID accountId) {
        jdbc.sql("UPDATE two_factor SET failed_attempts = 0, locked_until = NULL WHERE account_id = ?")
                .param(accountId).update();
    }

    private boolean useRecoveryCode(UUID accountId, String code) {
        String hash = SecretToken.sha256Hex(normalizeRecovery(code));
        return jdbc.sql("UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL")
                .params(Timestamp.from(clock.instant()), accountId, hash).update() > 0;
    }

    private List<String> replaceRecoveryCodes(UUID accountId) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = ?").param(accountId).update();
        List<String> fresh = new ArrayList<>(List.of(new RecoveryCodeGenerator().generateCodes(RECOVERY_CODES)));
        for (String code : fresh) {
            jdbc.sql("INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)")
                    .params(accountId, SecretToken.sha256Hex(normalizeRecovery(code))).update();
        }
        return fresh;
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

    private Optional<State> state(UUID accountId) {
        return jdbc.sql("SELECT * FROM two_factor WHERE account_id = ?").param(accountId)
                .query((rs, row) -> new State(rs.getString("secret"), rs.getTimestamp("confirmed_at") != null,
                        rs.getLong("last_used_step"), rs.getInt("failed_attempts"),
                        rs.getTimestamp("locked_until") == null ? null : rs.getTimestamp("locked_until").toInstant()))
                .optional();
    }

    private AuditTarget target(UUID accountId) {
        return AuditTarget.of("account", accountId, accounts.get(accountId).email());
    }

    private record State(String secret, boolean confirmed, long lastUsedStep, int failedAttempts, Instant lockedUntil) {
    }
}
