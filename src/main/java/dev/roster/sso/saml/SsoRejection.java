package dev.roster.sso.saml;

import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;

/**
 * A SAML login refused after the response itself was valid (no access grant, suspended, replay...). {@code code} is
 * shown as the reason on the error page; it has been audited already.
 */
class SsoRejection extends Saml2AuthenticationException {

    private final String code;

    SsoRejection(String code, String message) {
        super(new Saml2Error("roster_" + code.replace('-', '_'), message));
        this.code = code;
    }

    String code() {
        return code;
    }
}
