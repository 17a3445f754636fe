package dev.roster.sso.saml;

import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;

/**
 * A valid sign-in that waits for the owner of an existing account to confirm the link: nobody is signed in yet. The
 * failure handler hands the browser the secret of the waiting request in a cookie and sends it to
 * {@code /sso/link}.
 */
class SsoLinkPending extends Saml2AuthenticationException {

    private final String secret;

    SsoLinkPending(String secret) {
        super(new Saml2Error("roster_link_pending", "The owner of the existing account must confirm the link."));
        this.secret = secret;
    }

    String secret() {
        return secret;
    }
}
