package dev.roster.sso.saml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.shibboleth.utilities.java.support.xml.SerializeSupport;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.Unmarshaller;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Response;
import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.core.Saml2ErrorCodes;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider.AssertionToken;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider.ResponseToken;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationToken;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Encrypted assertions, for each way an IdP signs them.
 * <ul>
 * <li>A signed Response (Keycloak's default, Okta's): Spring Security verifies the Response signature and then hands
 * the EncryptedAssertion to {@link #decryptResponse}, which replaces it with the Assertion it holds, so that the
 * Response carries exactly one assertion as {@link ResponseChecks} requires.</li>
 * <li>An unsigned Response whose encrypted Assertion is signed (Entra ID's default, "sign SAML assertion"): Spring
 * Security refuses to decrypt anything in an unsigned Response, so {@link #prepare} decrypts the one EncryptedAssertion
 * first and puts the Assertion in its place. Spring Security then verifies the Assertion's own signature exactly as for
 * a plain one, and refuses it if it is unsigned: encryption never stands in for a signature.</li>
 * </ul>
 * Encrypted NameIDs and attributes inside an assertion are decrypted by {@link #decryptAssertion}, which Spring Security
 * calls only once the Response or the Assertion is signed. A connection that requires encryption refuses a Response
 * with a plain Assertion in {@link #prepare}, before anything else is read.
 */
final class EncryptedAssertions {

    private final DatabaseRelyingPartyRegistrations registrations;

    EncryptedAssertions(DatabaseRelyingPartyRegistrations registrations) {
        this.registrations = registrations;
    }

    /** The token to authenticate: the one posted, or one whose EncryptedAssertion was decrypted in place. */
    Saml2AuthenticationToken prepare(Saml2AuthenticationToken token) {
        String registrationId = token.getRelyingPartyRegistration().getRegistrationId();
        Response response = parse(token.getSaml2Response());
        if (response == null) {
            return token; // Spring Security reports what is wrong with it
        }
        boolean required = registrations.encryption(registrationId).map(AssertionEncryption::required).orElse(false);
        if (required && !response.getAssertions().isEmpty()) {
            throw refusal(Saml2ErrorCodes.INVALID_ASSERTION, "Response [" + response.getID() + "] carries an "
                    + "unencrypted assertion, and this connection requires encrypted assertions");
        }
        if (response.isSigned() || response.getEncryptedAssertions().size() != 1
                || !response.getAssertions().isEmpty()) {
            return token;
        }
        EncryptedAssertion encrypted = response.getEncryptedAssertions().get(0);
        Assertion assertion = decrypt(registrationId, response, encrypted);
        Element element = encrypted.getDOM();
        Document document = element.getOwnerDocument();
        Node imported = document.importNode(assertion.getDOM(), true);
        element.getParentNode().replaceChild(imported, element);
        Saml2AuthenticationToken decrypted = new Saml2AuthenticationToken(token.getRelyingPartyRegistration(),
                SerializeSupport.nodeToString(document.getDocumentElement()), token.getAuthenticationRequest());
        decrypted.setDetails(token.getDetails());
        return decrypted;
    }

    /** Spring Security's hook for a signed Response, called after its signature was checked. */
    void decryptResponse(ResponseToken token) {
        Response response = token.getResponse();
        String registrationId = token.getToken().getRelyingPartyRegistration().getRegistrationId();
        List<EncryptedAssertion> encrypted = List.copyOf(response.getEncryptedAssertions());
        if (encrypted.isEmpty()) {
            return;
        }
        for (EncryptedAssertion each : encrypted) {
            response.getAssertions().add(decrypt(registrationId, response, each));
        }
        response.getEncryptedAssertions().removeAll(encrypted);
        try {
            // Marshalled again so the decrypted assertions' ID attributes are IDs in the DOM, for their signatures.
            XMLObjectSupport.marshall(response);
        }
        catch (Exception ex) {
            throw refusal(Saml2ErrorCodes.DECRYPTION_ERROR, "Response [" + response.getID()
                    + "]: the decrypted assertion could not be read (" + ex.getMessage() + ")");
        }
    }

    /** Spring Security's hook for the encrypted parts of an assertion whose Response or self is signed. */
    void decryptAssertion(AssertionToken token) {
        String registrationId = token.getToken().getRelyingPartyRegistration().getRegistrationId();
        try {
            decrypter(registrationId).decryptElements(token.getAssertion());
        }
        catch (AssertionDecrypter.Refused ex) {
            throw refusal(Saml2ErrorCodes.DECRYPTION_ERROR, "Assertion [" + token.getAssertion().getID() + "]: "
                    + ex.getMessage());
        }
    }

    private Assertion decrypt(String registrationId, Response response, EncryptedAssertion encrypted) {
        try {
            return decrypter(registrationId).decrypt(encrypted);
        }
        catch (AssertionDecrypter.Refused ex) {
            throw refusal(Saml2ErrorCodes.DECRYPTION_ERROR, "Response [" + response.getID() + "]: " + ex.getMessage());
        }
    }

    private AssertionDecrypter decrypter(String registrationId) {
        return registrations.decrypter(registrationId).orElseThrow(() -> refusal(Saml2ErrorCodes.DECRYPTION_ERROR,
                "the connection no longer exists"));
    }

    private static Saml2AuthenticationException refusal(String code, String description) {
        return new Saml2AuthenticationException(new Saml2Error(code, description));
    }

    private static Response parse(String xml) {
        try {
            Document document = XMLObjectProviderRegistrySupport.getParserPool()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element root = document.getDocumentElement();
            Unmarshaller unmarshaller = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(root);
            return unmarshaller != null && unmarshaller.unmarshall(root) instanceof Response response ? response : null;
        }
        catch (Exception ex) {
            return null;
        }
    }
}
