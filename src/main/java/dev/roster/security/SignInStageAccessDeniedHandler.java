package dev.roster.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Someone halfway through sign-in (second factor owed, or two-factor enrolment required) who opens another page is
 * sent to the step they still owe, and brought back to that page afterwards, instead of seeing a bare 403.
 */
class SignInStageAccessDeniedHandler implements AccessDeniedHandler {

    private final RequestCache requests;
    private final AccessDeniedHandler otherwise = new AccessDeniedHandlerImpl();

    SignInStageAccessDeniedHandler(RequestCache requests) {
        this.requests = requests;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Set<String> authorities = authentication == null ? Set.of()
                : AuthorityUtils.authorityListToSet(authentication.getAuthorities());
        String step = authorities.contains(RosterAuthorities.TWO_FACTOR_PENDING) ? "/login/two-factor"
                : authorities.contains(RosterAuthorities.TWO_FACTOR_ENROLMENT) ? "/account/two-factor?required" : null;
        if (step == null || !"GET".equals(request.getMethod())) {
            otherwise.handle(request, response, denied);
            return;
        }
        requests.saveRequest(request, response);
        response.sendRedirect(request.getContextPath() + step);
    }
}
