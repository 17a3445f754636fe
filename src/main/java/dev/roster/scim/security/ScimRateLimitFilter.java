package dev.roster.scim.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roster.shared.web.RequestMetrics;

/** 429 with Retry-After when a directory sends more than its request rate (RFC 6585; Entra and Okta back off). */
final class ScimRateLimitFilter extends OncePerRequestFilter {

    private final ScimRateLimiter limiter;

    ScimRateLimitFilter(ScimRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ScimAuthentication scim) {
            RequestMetrics.directory(request, scim.getPrincipal().directory().id());
            // On PostgreSQL the token look-up has taken from the bucket already; this reads its answer (decision 0021).
            long wait = limiter.acquire(scim.getPrincipal());
            if (wait > 0) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
                ScimErrorWriter.write(response, 429, "Too many requests for this directory. Retry after " + wait
                        + " second(s).");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
