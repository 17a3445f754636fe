package dev.roster.sso.saml;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.opensaml.security.credential.BasicCredential;
import org.opensaml.security.credential.CredentialSupport;
import org.opensaml.xmlsec.crypto.XMLSigningUtil;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.springframework.security.saml2.core.Saml2X509Credential;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;

/**
 * Roster's messages in the SAML HTTP-Redirect binding, signed as the bindings specification (section 3.4.4.1) says:
 * the signature covers {@code SAMLRequest=…} or {@code SAMLResponse=…}, then {@code RelayState=…} when present, then
 * {@code SigAlg=…}, each value URL-encoded exactly as it is sent, and the query is sent in that same order.
 * <p>
 * Spring Security 6.5's logout request and response resolvers collect these parameters in a {@code HashMap}, which
 * puts RelayState first in the signed octets while the query sends the message first; IdPs that rebuild the octets
 * in the specification's order (SimpleSAMLphp, Shibboleth) refuse the signature. Roster takes the deflated message
 * and RelayState Spring produced and signs them here.
 */
final class RedirectBinding {

    static final String SIG_ALG = SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256;

    private RedirectBinding() {
    }

    /** The URL to send the browser to: {@code location} with the signed query. */
    static String url(String location, String messageParameter, String encodedMessage, String relayState,
                      RelyingPartyRegistration registration) {
        StringBuilder signed = new StringBuilder(messageParameter).append('=').append(encode(encodedMessage));
        if (relayState != null && !relayState.isEmpty()) {
            signed.append("&RelayState=").append(encode(relayState));
        }
        signed.append("&SigAlg=").append(encode(SIG_ALG));
        Saml2X509Credential signing = registration.getSigningX509Credentials().iterator().next();
        BasicCredential credential = CredentialSupport.getSimpleCredential(signing.getCertificate(),
                signing.getPrivateKey());
        byte[] signature;
        try {
            signature = XMLSigningUtil.signWithURI(credential, SIG_ALG,
                    signed.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (org.opensaml.security.SecurityException ex) {
            throw new IllegalStateException("could not sign a redirect-binding message", ex);
        }
        return location + (location.contains("?") ? "&" : "?") + signed + "&Signature="
                + encode(Base64.getEncoder().encodeToString(signature));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
