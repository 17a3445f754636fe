package dev.roster.scim.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.DatabaseUnavailable;

/**
 * {@code Authorization: Bearer <directory token>}. The token alone decides the directory and so the organization.
 * A missing, unknown or revoked token is 401 in the SCIM error schema with {@code WWW-Authenticate: Bearer}.
 */
final class ScimTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ScimTokenFilter.class);

    private final ScimDirectoryService directories;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    private final long retryAfterSeconds;
    /** The rate limiter whose bucket the look-up takes from (decision 0021), or null for a look-up that takes none. */
    private final ScimRateLimiter limiter;

    ScimTokenFilter(ScimDirectoryService directories, long retryAfterSeconds, ScimRateLimiter limiter) {
        this.directories = directories;
        this.retryAfterSeconds = retryAfterSeconds;
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ScimErrorWriter.unauthorized(response,
                    "Authentication is required: send the directory's token as 'Authorization: Bearer <token>'.");
            return;
        }
        Optional<ScimDirectoryService.Caller> caller;
        try {
            String presented = header.substring(7).trim();
            ScimDirectoryService.DirectoryBuckets buckets = limiter == null ? null : limiter.buckets();
            // With buckets (PostgreSQL), one statement finds the token and takes from its directory's bucket, whose
            // answer ScimRateLimitFilter reads; a token that finds no live row takes from no bucket.
            caller = directories.authenticate(presented, buckets);
        }
        catch (DataAccessException | TransactionException ex) {
            if (!DatabaseUnavailable.isCause(ex)) {
                throw ex;
            }
            // Not in the directory's request log: without the database, the token names no directory.
            log.warn("Database unavailable while authenticating a SCIM request: {}", ex.getMessage());
            ScimErrorWriter.unavailable(response, retryAfterSeconds, ScimUnavailableAnswer.TOKEN_DETAIL);
            return;
        }
        if (caller.isEmpty()) {
            ScimErrorWriter.unauthorized(response, directories.ofDeletedOrganization(header.substring(7).trim())
                    ? "The token's organization has been deleted from Roster, so its directories accept no requests. "
                            + "They work again if an operator restores the organization within its retention period."
                    : "The token is not valid: it may be wrong or revoked.");
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new ScimAuthentication(caller.get()));
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        }
        finally {
            contexts.clearContext();
        }
    }
}
