package dev.roster.sso.saml;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * The page for a SAML message {@link SamlMessageGuard} refused before any SAML code saw it: Roster's error page with
 * the status and a sentence a person can act on, never a stack trace. Clients that ask for JSON get Spring Boot's
 * error JSON with the same status.
 */
@Component
class SamlRefusalPage implements ErrorViewResolver, Ordered {

    static final String MESSAGE = SamlRefusalPage.class.getName() + ".message";

    @Override
    public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
        if (!(request.getAttribute(MESSAGE) instanceof String message)) {
            return null;
        }
        Map<String, Object> page = new HashMap<>(model);
        page.put("title", switch (status) {
            case NOT_FOUND -> "Not found";
            case PAYLOAD_TOO_LARGE -> "Sign-in message too large";
            default -> "Sign-in message not readable";
        });
        page.put("detail", message + " If you came here from your identity provider, start again from Roster's "
                + "sign-in page; if it keeps happening, ask an admin to check the single sign-on connection.");
        return new ModelAndView("error", page, status);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
