package dev.roster.scim.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.SecretToken;
import dev.roster.shared.ratelimit.InlineTake;
import dev.roster.shared.ratelimit.Limit;

/**
 * Directories and their bearer tokens: created by admins, shown once, stored hashed, compared in constant time. Two
 * tokens may be live at once so an IdP can be switched to a new token before the old one is revoked.
 */
@Service
@Transactional
public class ScimDirectoryService {

    public static final String TOKEN_PREFIX = "scim_";
    public static final int MAX_ACTIVE_TOKENS = 2;
    public static final int MAX_REQUESTS_PER_SECOND = 100_000;
    // Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final DirectoryRepository directories;
    private final RequestLogService requestLog;
    private final AuditLog audit;
    private final Clock clock;

    ScimDirectoryService(DirectoryRepository directories, RequestLogService requestLog, AuditLog audit, Clock clock) {
        this.directories = directories;
        this.requestLog = requestLog;
        this.audit = audit;
        this.clock = clock;
    }

    /** A directory at the moment it was created, with its first token's secret. */
    public record CreatedDirectory(ScimDirectory directory, IssuedToken token) {
    }

    /** A token at the one moment its secret is known. */
    public record IssuedToken(ScimToken token, String secret) {
    }

    /**
     * Who a presented token authenticates: a directory of one organization, through one of its tokens; and what the
     * look-up took from the directory's rate-limit bucket ({@link InlineTake#NONE} when it did not ask).
     */
    public record Caller(ScimDirectory directory, UUID tokenId, InlineTake bucket) {
    }

    /**
     * How the rate limiter names and shapes a directory's bucket, so that the token look-up can take from it
     * ({@link #authenticate}): the key is {@code keyPrefix} and the directory's id; a directory
     * with its own request rate R holds R tokens refilled over {@code ownPeriod}, any other has the shape
     * {@code defaults}.
     */
    public record DirectoryBuckets(String keyPrefix, Limit defaults, Duration ownPeriod) {
    }

    public CreatedDirectory create(UUID organizationId, String name, String kind, Integer requestsPerSecond,
                                   Actor actor) {
        String checkedName = checkName(name);
        DirectoryKind directoryKind = DirectoryKind.parse(kind);
        checkRate(requestsPerSecond);
        ScimDirectory directory = new ScimDirectory(Ids.newId(), organizationId, checkedName, directoryKind,
                requestsPerSecond, clock.instant());
        directories.insert(directory);
        audit.record(organizationId, actor, "scim-directory.created", target(directory), null, state(directory));
        IssuedToken token = issue(directory, actor);
        return new CreatedDirectory(directory, token);
    }

    @Transactional(readOnly = true)
    public ScimDirectory get(UUID organizationId, UUID directoryId) {
        return directories.find(organizationId, directoryId)
                .orElseThrow(() -> new NotFoundException("SCIM directory not found."));
    }

    @Transactional(readOnly = true)
    public PageResult<ScimDirectory> list(UUID organizationId, PageQuery page) {
        return PageResult.of(directories.list(organizationId, page.size(), page.offset()), page,
                directories.count(organizationId));
    }

    @Transactional(readOnly = true)
    public List<ScimToken> tokens(UUID organizationId, UUID directoryId) {
        get(organizationId, directoryId);
        return directories.tokens(organizationId, directoryId);
    }

    /**
     * Deletes the directory, its tokens, users, groups, group mappings and request log. Memberships and team grants it
     * made stay as they are: people keep their access until an admin or another directory changes it.
     */
    public void delete(UUID organizationId, UUID directoryId, Actor actor) {
        ScimDirectory directory = get(organizationId, directoryId);
        directories.deleteMappings(organizationId, directoryId);
        requestLog.deleteDirectory(organizationId, directoryId);
        directories.delete(organizationId, directoryId);
        audit.record(organizationId, actor, "scim-directory.deleted", target(directory), state(directory), null);
    }

    public IssuedToken issueToken(UUID organizationId, UUID directoryId, Actor actor) {
        ScimDirectory directory = get(organizationId, directoryId);
        directories.lock(organizationId, directoryId);
        if (directories.activeTokens(organizationId, directoryId) >= MAX_ACTIVE_TOKENS) {
            throw new ConflictException("too-many-tokens", "A directory has at most " + MAX_ACTIVE_TOKENS
                    + " live tokens. Revoke the old one once the identity provider uses the new one.");
        }
        return issue(directory, actor);
    }

    public void revokeToken(UUID organizationId, UUID directoryId, UUID tokenId, Actor actor) {
        ScimDirectory directory = get(organizationId, directoryId);
        ScimToken token = directories.token(organizationId, directoryId, tokenId)
                .orElseThrow(() -> new NotFoundException("Token not found."));
        if (directories.revokeToken(organizationId, directoryId, tokenId, clock.instant())) {
            audit.record(organizationId, actor, "scim-token.revoked", tokenTarget(directory, token),
                    Map.of("directory", directory.name()), null);
        }
    }

    /**
     * The directory a presented bearer token belongs to, if the token is live. The look-up key only narrows the
     * candidates; the full hash is compared in constant time. Runs on every SCIM request, without a transaction of its
     * own: one read (and at most once a minute one write), so BEGIN and COMMIT would only add round trips.
     * <p>
     * On PostgreSQL ({@code buckets} not null) the same statement takes one unit from the rate-limit bucket of the
     * token's directory (decision 0021), returned in {@link Caller#bucket()}; {@code null} takes none
     * ({@link InlineTake#NONE}). A token that finds no live row takes nothing. When that statement fails for any other
     * reason than getting no connection at all (the bucket's row lock held past its wait, say), the token is looked up
     * without the take and the caller is told, so that it takes in memory: a limiter is never why a request fails.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Optional<Caller> authenticate(String presented, DirectoryBuckets buckets) {
        if (presented == null || presented.isBlank() || presented.length() > 512) {
            return Optional.empty();
        }
        // Hashed once: the look-up key and the comparison below use the same digest.
        SecretToken.Presented token = SecretToken.presented(presented);
        List<Map.Entry<DirectoryRepository.TokenCandidate, String>> candidates;
        InlineTake failed = null;
        if (buckets == null) {
            candidates = directories.candidates(token.lookup());
        }
        else {
            try {
                candidates = directories.candidatesTaking(token.lookup(), buckets.keyPrefix(), buckets.defaults(),
                        buckets.ownPeriod(), clock.millis());
            }
            catch (CannotGetJdbcConnectionException ex) {
                throw ex;
            }
            catch (DataAccessException ex) {
                failed = new InlineTake.Failed(ex);
                candidates = directories.candidates(token.lookup());
            }
        }
        for (var candidate : candidates) {
            // The look-up key narrowed the rows; the full hash decides, compared in constant time.
            if (token.matches(candidate.getValue())) {
                DirectoryRepository.TokenCandidate found = candidate.getKey();
                Instant now = clock.instant();
                if (found.lastUsedAt() == null || found.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
                    directories.touchToken(found.tokenId(), now);
                }
                return Optional.of(new Caller(found.directory(), found.tokenId(),
                        failed != null ? failed : found.bucket()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a token {@link #authenticate} refused is a live token of a soft-deleted organization, so the refusal can
     * say why. Asked only after a refusal; the full hash is compared, so it tells nothing to someone without the token.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    public boolean ofDeletedOrganization(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 512) {
            return false;
        }
        SecretToken.Presented token = SecretToken.presented(presented);
        return directories.deletedOrganizationTokenHashes(token.lookup()).stream().anyMatch(token::matches);
    }

    private IssuedToken issue(ScimDirectory directory, Actor actor) {
        SecretToken.Issued secret = SecretToken.issue(TOKEN_PREFIX);
        Instant now = clock.instant();
        UUID tokenId = Ids.newId();
        directories.insertToken(tokenId, directory.organizationId(), directory.id(), secret, now);
        ScimToken token = new ScimToken(tokenId, directory.id(), now, null, null);
        audit.record(directory.organizationId(), actor, "scim-token.created", tokenTarget(directory, token), null,
                Map.of("directory", directory.name()));
        return new IssuedToken(token, secret.value());
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.field("name", "A directory needs a name.");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 100) {
            throw InvalidRequestException.field("name", "A directory name has at most 100 characters.");
        }
        return trimmed;
    }

    private static void checkRate(Integer requestsPerSecond) {
        if (requestsPerSecond != null && (requestsPerSecond < 1 || requestsPerSecond > MAX_REQUESTS_PER_SECOND)) {
            throw InvalidRequestException.field("requestsPerSecond",
                    "The request rate is between 1 and " + MAX_REQUESTS_PER_SECOND + " per second.");
        }
    }

    private static AuditTarget target(ScimDirectory directory) {
        return AuditTarget.of("scim-directory", directory.id(), directory.name());
    }

    private static AuditTarget tokenTarget(ScimDirectory directory, ScimToken token) {
        return AuditTarget.of("scim-token", token.id(), directory.name());
    }

    private static Map<String, Object> state(ScimDirectory directory) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", directory.name());
        state.put("kind", directory.kind().apiName());
        if (directory.requestsPerSecond() != null) {
            state.put("requestsPerSecond", directory.requestsPerSecond());
        }
        return state;
    }
}
