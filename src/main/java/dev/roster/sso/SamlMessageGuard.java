package dev.roster.sso;

import java.io.IOException;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps SAML messages before any XML parser sees them. A POSTed message is limited by its body size; a message in the
 * query string (the HTTP-Redirect binding, deflated) is inflated here with a hard limit on the inflated size, so a
 * small "deflate bomb" that would expand to gigabytes is refused after reading at most the limit (CVE-2026-40988 was
 * this attack on Spring Security's inflater; Spring Security 6.5.11 fixes it, and this guard keeps the limit
 * Roster's own).
 */
class SamlMessageGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SamlMessageGuard.class);

    private final long maxBytes;

    SamlMessageGuard(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith(SpUrls.ACS_PATH) || path.startsWith(SpUrls.SLO_PATH));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Base64 makes a message a third larger; the rest of the form (RelayState) is small.
        if (request.getContentLengthLong() > maxBytes * 2) {
            refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body of "
                    + request.getContentLengthLong() + " bytes");
            return;
        }
        if ("GET".equals(request.getMethod())) {
            for (String name : new String[] {"SAMLResponse", "SAMLRequest"}) {
                String value = request.getParameter(name);
                if (value != null && !inflatesWithinLimit(value)) {
                    refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                            name + " inflates beyond " + maxBytes + " bytes or is not deflated data");
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    boolean inflatesWithinLimit(String encoded) {
        byte[] deflated;
        try {
            deflated = Base64.getMimeDecoder().decode(encoded);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        if (deflated.length > maxBytes) {
            return false;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            byte[] buffer = new byte[8192];
            long total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return false;
                }
                total += n;
                if (total > maxBytes) {
                    return false;
                }
            }
            return true;
        }
        catch (DataFormatException ex) {
            return false;
        }
        finally {
            inflater.end();
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String why)
            throws IOException {
        log.warn("SAML message at {} refused: {}", request.getRequestURI(), why);
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("The SAML message is too large or malformed.");
    }
}
