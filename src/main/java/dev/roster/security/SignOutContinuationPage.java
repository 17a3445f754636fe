package dev.roster.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.util.HtmlUtils;

/**
 * Continues a sign-out at the identity provider (single logout) with a page that moves on by itself, not a redirect:
 * browsers hold the redirects that follow a form (sign-out is a POST) to the page's {@code form-action 'self'}, and
 * this one ends at the IdP. The link is there for browsers that ignore {@code Refresh}.
 */
final class SignOutContinuationPage {

    private SignOutContinuationPage() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, String url) throws IOException {
        String escaped = HtmlUtils.htmlEscape(url);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Refresh", "0; url=" + url);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Signing out · Roster</title>
                <link rel="stylesheet" href="%s/css/roster.css"></head>
                <body><main class="narrow"><h1>Signing out</h1>
                <p>You are signed out of Roster. Signing you out of your identity provider too…</p>
                <p><a class="button" href="%s">Continue</a></p></main></body></html>
                """.formatted(HtmlUtils.htmlEscape(request.getContextPath()), escaped));
    }
}
