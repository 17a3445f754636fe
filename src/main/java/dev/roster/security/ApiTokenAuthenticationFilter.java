package dev.roster.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roster.apitoken.ApiTokenService;
import dev.roster.shared.RosterUser;

/**
 * {@code Authorization: Bearer <personal API token>}, or the operator token ({@link OperatorToken}), which makes the
 * caller the operator and nobody else. A presented but unusable token is refused outright (401)
 * rather than treated as anonymous, so a script with a revoked token fails loudly.
 */
class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    private final ApiTokenService tokens;
    private final OperatorToken operator;
    private final ApiAuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiTokenAuthenticationFilter(ApiTokenService tokens, OperatorToken operator, ApiAuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.operator = operator;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String presented = header.substring(7).trim();
        if (operator.matches(presented)) {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(OperatorPrincipal.INSTANCE,
                    null, RosterAuthorities.of(RosterAuthorities.OPERATOR)));
            contexts.setContext(context);
            chain.doFilter(request, response);
            return;
        }
        Optional<RosterUser> user = tokens.authenticate(presented);
        if (user.isEmpty()) {
            entryPoint.reject(response, "The API token is not valid: it may be wrong, revoked or expired.");
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.get(), null,
                RosterAuthorities.of(RosterAuthorities.USER)));
        contexts.setContext(context);
        request.setAttribute(ApiTokenAuthenticationFilter.class.getName(), Boolean.TRUE);
        chain.doFilter(request, response);
    }

    static boolean viaToken(HttpServletRequest request) {
        return request.getAttribute(ApiTokenAuthenticationFilter.class.getName()) != null;
    }
}
