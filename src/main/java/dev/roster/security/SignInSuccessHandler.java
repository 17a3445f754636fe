package dev.roster.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/** After the password: on to the second factor, to enrolment, or to where the person was going. */
class SignInSuccessHandler extends SavedRequestAwareAuthenticationSuccessHandler {

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws ServletException, IOException {
        var authorities = AuthorityUtils.authorityListToSet(authentication.getAuthorities());
        if (authorities.contains(RosterAuthorities.TWO_FACTOR_PENDING)) {
            getRedirectStrategy().sendRedirect(request, response, "/login/two-factor");
            return;
        }
        if (authorities.contains(RosterAuthorities.TWO_FACTOR_ENROLMENT)) {
            getRedirectStrategy().sendRedirect(request, response, "/account/two-factor?required");
            return;
        }
        super.onAuthenticationSuccess(request, response, authentication);
    }
}
