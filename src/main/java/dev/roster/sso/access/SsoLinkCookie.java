package dev.roster.sso.access;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.roster.shared.RosterProperties;
import dev.roster.sso.web.SsoLinkController;

/**
 * The cookie that holds the secret of a sign-in waiting for the account owner's confirmation
 * ({@link SsoLinkRequests}): HttpOnly, sent only to {@value SsoLinkController#PATH} (and below), {@code SameSite=Lax}
 * (it is set on the IdP's cross-site POST, a top-level navigation, and read on the same-site pages that follow),
 * {@code Secure} on an HTTPS {@code roster.base-url}, gone after ten minutes.
 */
@Component
public class SsoLinkCookie {

    static final String NAME = "roster-sso-link";

    private final boolean https;

    SsoLinkCookie(RosterProperties properties) {
        this.https = "https".equalsIgnoreCase(properties.baseUrl().getScheme());
    }

    public void hold(HttpServletRequest request, HttpServletResponse response, String secret) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, secret, SsoLinkRequests.LIFETIME).toString());
    }

    public void forget(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "", Duration.ZERO).toString());
    }

    public Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(NAME, value).httpOnly(true).secure(https).sameSite("Lax")
                .path(request.getContextPath() + SsoLinkController.PATH).maxAge(maxAge).build();
    }
}
