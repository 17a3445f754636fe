package dev.roster.sso.saml;

import jakarta.servlet.http.HttpServletRequest;

import org.opensaml.saml.saml2.core.Response;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.core.Saml2ErrorCodes;
import org.springframework.security.saml2.core.Saml2ResponseValidatorResult;
import org.springframework.security.saml2.provider.service.authentication.AbstractSaml2AuthenticationRequest;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider.ResponseToken;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.roster.sso.connection.SsoConnection;

/**
 * Response-level checks: Spring Security's defaults (status, issuer, destination, InResponseTo when present, at least
 * one assertion), plus Roster's stricter rules: a Destination is required, exactly one assertion, an InResponseTo when
 * a request is pending, a response to a sign-in another browser started is refused ({@link BrowserBinding}), and a
 * response nobody asked for is accepted only where the connection allows IdP-initiated login. (XML comments, which canonicalization drops so that a comment could split a signed value, never reach these
 * checks: OpenSAML's parser pool discards them while parsing, so a value is always read whole.)
 */
final class ResponseChecks implements Converter<ResponseToken, Saml2ResponseValidatorResult> {

    private final Converter<ResponseToken, Saml2ResponseValidatorResult> defaults =
            OpenSaml4AuthenticationProvider.createDefaultResponseValidator();
    private final DatabaseRelyingPartyRegistrations registrations;

    ResponseChecks(DatabaseRelyingPartyRegistrations registrations) {
        this.registrations = registrations;
    }

    @Override
    public Saml2ResponseValidatorResult convert(ResponseToken token) {
        Response response = token.getResponse();
        Saml2ResponseValidatorResult result = defaults.convert(token);
        if (!StringUtils.hasText(response.getDestination())) {
            result = result.concat(new Saml2Error(Saml2ErrorCodes.INVALID_DESTINATION,
                    "Response [" + response.getID() + "] names no Destination"));
        }
        int assertions = response.getAssertions().size() + response.getEncryptedAssertions().size();
        if (assertions > 1) {
            result = result.concat(new Saml2Error(Saml2ErrorCodes.MALFORMED_RESPONSE_DATA,
                    "Response [" + response.getID() + "] carries " + assertions + " assertions; exactly one is accepted"));
        }
        AbstractSaml2AuthenticationRequest request = token.getToken().getAuthenticationRequest();
        if (request == null && DatabaseAuthnRequests.answersAnotherBrowser(currentRequest())) {
            result = result.concat(new Saml2Error(Saml2ErrorCodes.INVALID_IN_RESPONSE_TO, "Response ["
                    + response.getID() + "] comes with the RelayState of a sign-in started in another browser: this "
                    + "browser does not hold that sign-in's binding cookie"));
        }
        else if (request == null) {
            String registrationId = token.getToken().getRelyingPartyRegistration().getRegistrationId();
            boolean allowed = registrations.connection(registrationId).map(SsoConnection::idpInitiated).orElse(false);
            if (!allowed) {
                result = result.concat(new Saml2Error(Saml2ErrorCodes.INVALID_IN_RESPONSE_TO, "Response ["
                        + response.getID() + "] answers no request this browser made, and IdP-initiated sign-in is "
                        + "off for this connection"));
            }
        }
        else if (!StringUtils.hasText(response.getInResponseTo())) {
            result = result.concat(new Saml2Error(Saml2ErrorCodes.INVALID_IN_RESPONSE_TO, "Response ["
                    + response.getID() + "] has no InResponseTo although request [" + request.getId() + "] is pending"));
        }
        return result;
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
                ? servlet.getRequest() : null;
    }
}
