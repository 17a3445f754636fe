package dev.roster.sso.saml;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.roster.shared.RosterProperties;
import dev.roster.shared.SecretToken;

/**
 * Ties a SAML sign-in to the browser that started it, against login CSRF: a response captured by one person and
 * posted from another's browser must not sign that browser in. Starting a sign-in sets a random cookie (kept while
 * the browser holds one, so sign-ins in two tabs both work); only its SHA-256 is stored with the pending AuthnRequest,
 * and the ACS accepts the response only from a browser that presents the cookie.
 * <p>
 * The IdP's POST to the ACS is a cross-site request, which carries a cookie only with {@code SameSite=None}, and
 * browsers take {@code SameSite=None} only from a {@code Secure} cookie. So on an HTTPS {@code roster.base-url} the
 * cookie is {@code __Host-} prefixed (no sibling domain can plant it), {@code Secure} and {@code SameSite=None}. On
 * plain HTTP (development) it cannot be {@code Secure}; it is then set without a SameSite attribute, which browsers
 * send on the IdP's POST (Chromium only within two minutes of setting it), and Roster's own demo IdP posts from the
 * same site anyway.
 */
@Component
public class BrowserBinding {

    public static final String HTTPS_NAME = "__Host-roster-sso-binding";
    public static final String HTTP_NAME = "roster-sso-binding";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final boolean https;

    BrowserBinding(RosterProperties properties) {
        this.https = properties.https();
    }

    /** Binds a sign-in being started to this browser; answers what to store with its AuthnRequest. */
    String bind(HttpServletRequest request, HttpServletResponse response, Duration lifetime) {
        String value = presented(request).orElseGet(() -> SecretToken.issue("").value());
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name(), value).httpOnly(true).path("/")
                .maxAge(lifetime).secure(https);
        if (https) {
            cookie.sameSite("None");
        }
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.build().toString());
        return SecretToken.sha256Hex(value);
    }

    /** Whether this browser presents the binding whose hash was stored (compared in constant time). */
    boolean matches(HttpServletRequest request, String storedHash) {
        return storedHash != null && presented(request).map(value -> SecretToken.matches(value, storedHash))
                .orElse(false);
    }

    private Optional<String> presented(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name().equals(cookie.getName()) && cookie.getValue() != null && VALUE.matcher(cookie.getValue()).matches()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private String name() {
        return https ? HTTPS_NAME : HTTP_NAME;
    }
}
