package dev.roster.sso.saml;

import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;

/**
 * Ends a test login: the answer was checked and its result stored, and nobody is signed in. Thrown through Spring
 * Security's SAML filter like a refusal, whose failure handler then sends the browser to {@code resultPath}.
 */
class SsoTestCompleted extends Saml2AuthenticationException {

    private final String resultPath;

    SsoTestCompleted(String resultPath) {
        super(new Saml2Error("roster_test_completed", "A test login was completed; nobody was signed in."));
        this.resultPath = resultPath;
    }

    String resultPath() {
        return resultPath;
    }
}
