package dev.roster.sso.saml;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The shape encrypted SAML content must have before Roster lets OpenSAML decrypt it: only the elements of XML
 * Encryption that IdPs use (EncryptedData and EncryptedKey with inline CipherValues, KeyInfo with keys, certificates,
 * names or a same-document RetrievalMethod, RSA-OAEP's digest and mask function), and nothing that makes the decrypter
 * fetch or compute: no CipherReference, no Transforms (XPath, XSLT), no AgreementMethod, no reference outside the
 * message.
 * <p>
 * Why: OpenSAML 4.0.1 does not validate this itself (the Shibboleth advisory of 2022-12-12, fixed in 4.2.1, which
 * Roster cannot use: docs/decisions/0002-opensaml-4.md), and Roster decrypts the EncryptedAssertion of an unsigned
 * response (Entra ID signs only the assertion inside), which anyone can post.
 */
final class EncryptedXmlProfile {

    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    /** WS-Security, whose SecurityTokenReference Microsoft's token services put in an EncryptedKey's KeyInfo. */
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

    private static final Map<String, Set<String>> ALLOWED = Map.of(
            SAML, Set.of("EncryptedAssertion", "EncryptedID", "EncryptedAttribute"),
            XENC, Set.of("EncryptedData", "EncryptedKey", "EncryptionMethod", "CipherData", "CipherValue",
                    "ReferenceList", "DataReference", "KeyReference", "KeySize", "OAEPparams", "CarriedKeyName"),
            XENC11, Set.of("MGF"),
            WSSE, Set.of("SecurityTokenReference", "KeyIdentifier"),
            DS, Set.of("KeyInfo", "KeyName", "KeyValue", "RSAKeyValue", "Modulus", "Exponent", "X509Data",
                    "X509Certificate", "X509IssuerSerial", "X509IssuerName", "X509SerialNumber", "X509SubjectName",
                    "X509SKI", "DigestMethod", "RetrievalMethod"));
    /** Elements whose URI attribute must point into the message itself. */
    private static final Set<String> REFERENCES = Set.of("RetrievalMethod", "DataReference", "KeyReference");

    private EncryptedXmlProfile() {
    }

    /** Why the encrypted element does not have the accepted shape, if it does not. */
    static Optional<String> violation(Element encrypted) {
        return check(encrypted, 0);
    }

    private static Optional<String> check(Element element, int depth) {
        String namespace = element.getNamespaceURI();
        String name = element.getLocalName();
        if (namespace == null || !ALLOWED.getOrDefault(namespace, Set.of()).contains(name)) {
            return Optional.of("the encrypted content holds a " + (namespace == null ? "" : "{" + namespace + "}")
                    + name + " element, which Roster does not accept there");
        }
        if (depth > 0 && SAML.equals(namespace)) {
            return Optional.of("the encrypted content nests another " + name);
        }
        if (REFERENCES.contains(name)) {
            String uri = element.getAttribute("URI");
            if (!uri.isEmpty() && !uri.startsWith("#")) {
                return Optional.of("the encrypted content refers to " + uri + " outside the message");
            }
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if ("URI".equals(attribute.getLocalName()) && !REFERENCES.contains(name)) {
                return Optional.of("the encrypted content's " + name + " names a URI");
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element nested) {
                Optional<String> violation = check(nested, depth + 1);
                if (violation.isPresent()) {
                    return violation;
                }
            }
        }
        return Optional.empty();
    }
}
