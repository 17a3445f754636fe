package dev.roster.sso.saml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.EntitiesDescriptor;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.SingleLogoutService;
import org.opensaml.saml.saml2.metadata.SingleSignOnService;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.signature.X509Data;
import org.springframework.security.saml2.core.OpenSamlInitializationService;
import org.springframework.security.saml2.provider.service.registration.Saml2MessageBinding;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.roster.shared.InvalidRequestException;

/**
 * What Roster takes from an identity provider's SAML metadata: its entity ID, where to send people to sign in (and
 * out), and every certificate it signs with. Parsed with OpenSAML's parser pool, which refuses DOCTYPE declarations,
 * so metadata cannot carry external entities.
 */
public record IdpMetadata(String entityId, String ssoUrl, Saml2MessageBinding ssoBinding, String sloUrl,
                   Saml2MessageBinding sloBinding, boolean wantAuthnRequestsSigned,
                   List<X509Certificate> signingCertificates) {

    public static final int MAX_BYTES = 1024 * 1024;

    static {
        OpenSamlInitializationService.initialize();
    }

    public static IdpMetadata parse(String xml) {
        if (xml == null || xml.isBlank()) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata is empty.");
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata is larger than 1 MB.");
        }
        XMLObject root = unmarshall(xml, bytes);
        List<EntityDescriptor> idps = new ArrayList<>();
        collect(root, idps);
        if (idps.size() != 1) {
            throw InvalidRequestException.field("metadataXml", idps.isEmpty()
                    ? "The metadata describes no SAML 2.0 identity provider."
                    : "The metadata describes several identity providers; give the one this connection uses.");
        }
        EntityDescriptor entity = idps.get(0);
        IDPSSODescriptor idp = entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS);
        // HTTP-Redirect only: the POST binding needs an auto-submitting page, which Roster's content security policy
        // (no inline script, form-action 'self') does not allow. Entra ID, Okta and every common IdP offer Redirect.
        String ssoUrl = idp.getSingleSignOnServices().stream()
                .filter(sso -> SAMLConstants.SAML2_REDIRECT_BINDING_URI.equals(sso.getBinding()))
                .map(SingleSignOnService::getLocation).findFirst().orElse(null);
        if (ssoUrl == null) {
            throw InvalidRequestException.field("metadataXml", "The IdP offers no SingleSignOnService with the "
                    + "HTTP-Redirect binding, which Roster sends sign-in requests with.");
        }
        Saml2MessageBinding ssoBinding = Saml2MessageBinding.REDIRECT;
        String sloUrl = null;
        Saml2MessageBinding sloBinding = null;
        for (String wanted : List.of(SAMLConstants.SAML2_REDIRECT_BINDING_URI, SAMLConstants.SAML2_POST_BINDING_URI)) {
            for (SingleLogoutService slo : idp.getSingleLogoutServices()) {
                if (sloUrl == null && wanted.equals(slo.getBinding())) {
                    sloUrl = slo.getLocation();
                    sloBinding = binding(wanted);
                }
            }
        }
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        for (KeyDescriptor key : idp.getKeyDescriptors()) {
            if (key.getUse() != null && key.getUse() != UsageType.SIGNING && key.getUse() != UsageType.UNSPECIFIED) {
                continue;
            }
            if (key.getKeyInfo() == null) {
                continue;
            }
            for (X509Data data : key.getKeyInfo().getX509Datas()) {
                for (org.opensaml.xmlsec.signature.X509Certificate cert : data.getX509Certificates()) {
                    X509Certificate parsed = certificate(cert.getValue());
                    certificates.put(Certificates.fingerprint(parsed), parsed);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata names no signing certificate.");
        }
        return new IdpMetadata(entity.getEntityID(), ssoUrl, ssoBinding, sloUrl, sloBinding,
                Boolean.TRUE.equals(idp.getWantAuthnRequestsSigned()), List.copyOf(certificates.values()));
    }

    /**
     * The metadata as OpenSAML objects, or a refusal in words an admin can act on: "This is not SAML metadata: …"
     * with the line the parser stopped at, or the element the document has instead of an EntityDescriptor (OpenSAML
     * has no unmarshaller for an HTML page or other XML, which used to surface as a NullPointerException's text).
     */
    private static XMLObject unmarshall(String xml, byte[] bytes) {
        Document document;
        try {
            document = XMLObjectProviderRegistrySupport.getParserPool().parse(new ByteArrayInputStream(bytes));
        }
        catch (Exception ex) {
            throw notMetadata(parseFailure(ex, xml));
        }
        Element element = document.getDocumentElement();
        boolean metadataRoot = SAMLConstants.SAML20MD_NS.equals(element.getNamespaceURI())
                && ("EntityDescriptor".equals(element.getLocalName())
                || "EntitiesDescriptor".equals(element.getLocalName()));
        if (!metadataRoot) {
            String name = element.getNamespaceURI() == null ? element.getTagName()
                    : element.getLocalName() + " in namespace " + element.getNamespaceURI();
            throw notMetadata("the document is a " + name + " element, not an EntityDescriptor or "
                    + "EntitiesDescriptor of the SAML metadata namespace (" + SAMLConstants.SAML20MD_NS
                    + "). It starts with: " + excerpt(xml.strip().lines().findFirst().orElse("")));
        }
        try {
            return XMLObjectSupport.getUnmarshaller(element).unmarshall(element);
        }
        catch (Exception ex) {
            throw notMetadata("it could not be read as metadata: " + rootMessage(ex));
        }
    }

    private static InvalidRequestException notMetadata(String why) {
        return InvalidRequestException.field("metadataXml", "This is not SAML metadata: " + why);
    }

    /** The parser's complaint with the line it stopped at, quoted. */
    private static String parseFailure(Exception ex, String xml) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof org.xml.sax.SAXParseException parse && parse.getLineNumber() > 0) {
            String line = xml.lines().skip(parse.getLineNumber() - 1L).findFirst().orElse("");
            return "the XML is broken at line " + parse.getLineNumber() + ", column " + parse.getColumnNumber()
                    + ": " + parse.getMessage() + " That line reads: " + excerpt(line.strip());
        }
        return "the XML could not be parsed: " + cause.getMessage();
    }

    private static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String excerpt(String text) {
        String shown = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return "\u201c" + shown + "\u201d";
    }

    private static void collect(XMLObject object, List<EntityDescriptor> into) {
        if (object instanceof EntityDescriptor entity) {
            if (entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS) != null) {
                into.add(entity);
            }
        }
        else if (object instanceof EntitiesDescriptor entities) {
            entities.getEntityDescriptors().forEach(e -> collect(e, into));
            entities.getEntitiesDescriptors().forEach(e -> collect(e, into));
        }
    }

    private static Saml2MessageBinding binding(String uri) {
        return SAMLConstants.SAML2_REDIRECT_BINDING_URI.equals(uri) ? Saml2MessageBinding.REDIRECT
                : Saml2MessageBinding.POST;
    }

    private static X509Certificate certificate(String base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64 == null ? "" : base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        }
        catch (CertificateException | IllegalArgumentException ex) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata holds an unreadable certificate.");
        }
    }
}
