package dev.roster.apitoken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterUser;
import dev.roster.shared.SecretToken;

@Service
public class ApiTokenService {

    static final String PREFIX = "roster_pat_";
    private static final int MAX_TOKENS_PER_ACCOUNT = 100;
    // Writing last_used_at on every request would turn each API read into a write; a minute is precise enough.
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final AccountService accounts;
    private final AuditLog audit;
    private final Clock clock;

    ApiTokenService(ApiTokenRepository tokens, AccountService accounts, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public IssuedApiToken create(UUID accountId, String name, Instant expiresAt, Actor actor) {
        if (name == null || name.isBlank() || name.trim().length() > 100) {
            throw InvalidRequestException.field("name", "A token needs a name of 1 to 100 characters.");
        }
        // Stored with microsecond precision, so the answer that creates a token says what later reads say.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw InvalidRequestException.field("expiresAt", "The expiry must be in the future.");
        }
        long live = tokens.countNotRevoked(accountId);
        if (live >= MAX_TOKENS_PER_ACCOUNT) {
            throw InvalidRequestException.field("name", "An account has at most " + MAX_TOKENS_PER_ACCOUNT
                    + " tokens. Revoke one you no longer use.");
        }
        SecretToken.Issued secret = SecretToken.issue(PREFIX);
        ApiToken token = new ApiToken(Ids.newId(), accountId, name.trim(), now,
                expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS), null, null);
        tokens.insert(token, secret);
        audit.recordAccountChange(accountId, actor, "api-token.created", target(token), null,
                expiresAt == null ? Map.of("name", token.name())
                        : Map.of("name", token.name(), "expiresAt", expiresAt.toString()));
        return new IssuedApiToken(token, secret.value());
    }

    /**
     * Creates a token whose secret an operator chose (bootstrap). Idempotent: the same secret for the same account
     * is created once, and an existing token is returned as it is, revoked or not, because a revocation is an admin's
     * decision that a restart must not undo.
     */
    @Transactional
    public ApiToken ensure(UUID accountId, String name, String secretValue, Actor actor) {
        if (secretValue == null || secretValue.length() < 32 || secretValue.length() > 512) {
            throw new IllegalArgumentException("a bootstrap API token has 32 to 512 characters");
        }
        if (!secretValue.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a bootstrap API token is printable ASCII without spaces");
        }
        SecretToken.Issued secret = SecretToken.of(secretValue);
        Optional<ApiToken> existing = findBySecret(secretValue);
        if (existing.isPresent()) {
            if (!existing.get().accountId().equals(accountId)) {
                throw new IllegalStateException("the bootstrap API token already belongs to another account");
            }
            return existing.get();
        }
        ApiToken token = new ApiToken(Ids.newId(), accountId, name, clock.instant(), null, null, null);
        tokens.insert(token, secret);
        audit.recordAccountChange(accountId, actor, "api-token.created", target(token), null, Map.of("name", name));
        return token;
    }

    /**
     * The account a presented token authenticates, if the token exists, is not revoked and has not expired. Runs on
     * every API request: one read of the token with its owner's address, without a transaction of its own (BEGIN and
     * COMMIT would only add round trips), and at most once a minute a write of when it was last used.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Optional<RosterUser> authenticate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 512) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (ApiTokenRepository.Candidate candidate : tokens.candidatesWithOwner(SecretToken.lookup(presented))) {
            ApiToken t = candidate.token();
            if (SecretToken.matches(presented, candidate.hash()) && t.usableAt(now)) {
                if (t.lastUsedAt() == null || t.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
                    tokens.touch(t.id(), now);
                }
                return Optional.of(new RosterUser(t.accountId(), candidate.ownerEmail()));
            }
        }
        return Optional.empty();
    }

    /** An account's tokens, newest first, revoked ones included (they say when they were revoked). */
    @Transactional(readOnly = true)
    public PageResult<ApiToken> list(UUID accountId, PageQuery page) {
        long total = tokens.count(accountId);
        List<ApiToken> items = tokens.list(accountId, page.size(), page.offset());
        return PageResult.of(items, page, total);
    }

    /** Tokens that still authenticate: neither revoked nor expired. */
    @Transactional(readOnly = true)
    public long countUsable(UUID accountId) {
        return tokens.countUsable(accountId, clock.instant());
    }

    /** One of the account's own tokens; another account's token is not found. */
    @Transactional(readOnly = true)
    public ApiToken get(UUID accountId, UUID tokenId) {
        return tokens.find(accountId, tokenId).orElseThrow(() -> new NotFoundException("Token not found."));
    }

    @Transactional
    public void revoke(UUID accountId, UUID tokenId, Actor actor) {
        ApiToken token = get(accountId, tokenId);
        if (token.revokedAt() != null) {
            return;
        }
        tokens.revoke(accountId, tokenId, clock.instant());
        audit.recordAccountChange(accountId, actor, "api-token.revoked", target(token), Map.of("name", token.name()),
                null);
    }

    private Optional<ApiToken> findBySecret(String presented) {
        return tokens.candidates(SecretToken.lookup(presented)).stream()
                .filter(c -> SecretToken.matches(presented, c.hash())).map(ApiTokenRepository.Candidate::token)
                .findFirst();
    }

    private AuditTarget target(ApiToken token) {
        Account owner = accounts.get(token.accountId());
        return AuditTarget.of("api-token", token.id(), owner.email() + ": " + token.name());
    }
}
