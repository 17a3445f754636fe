package dev.roster.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roster.shared.RosterUser;

/**
 * A person held at two-factor enrolment is let through once they have enrolled. Checked only for sessions in that
 * stage, so fully signed-in requests pay nothing.
 */
class SignInStageRefreshFilter extends OncePerRequestFilter {

    private final SignInStages stages;
    private final SecurityContextRepository contexts;

    SignInStageRefreshFilter(SignInStages stages, SecurityContextRepository contexts) {
        this.stages = stages;
        this.contexts = contexts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof RosterUser user
                && AuthorityUtils.authorityListToSet(authentication.getAuthorities())
                        .contains(RosterAuthorities.TWO_FACTOR_ENROLMENT)
                && stages.afterSecondFactor(user).stream()
                        .anyMatch(a -> RosterAuthorities.USER.equals(a.getAuthority()))) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(stages.fullySignedIn(user));
            SecurityContextHolder.setContext(context);
            contexts.saveContext(context, request, response);
        }
        chain.doFilter(request, response);
    }
}
