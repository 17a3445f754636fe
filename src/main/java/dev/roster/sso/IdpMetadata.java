package dev.roster.sso;

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

import dev.roster.shared.InvalidRequestException;

/**
 * What Roster takes from an identity provider's SAML metadata: its entity ID, where to send people to sign in (and
 * out), and every certificate it signs with. Parsed with OpenSAML's parser pool, which refuses DOCTYPE declarations,
 * so metadata cannot carry external entities.
 */
record IdpMetadata(String entityId, String ssoUrl, Saml2MessageBinding ssoBinding, String sloUrl,
                   Saml2MessageBinding sloBinding, boolean wantAuthnRequestsSigned,
                   List<X509Certificate> signingCertificates) {

    static final int MAX_BYTES = 1024 * 1024;

    static {
        OpenSamlInitializationService.initialize();
    }

    static IdpMetadata parse(String xml) {
        if (xml == null || xml.isBlank()) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata is empty.");
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw InvalidRequestException.field("metadataXml", "The IdP metadata is larger than 1 MB.");
        }
        XMLObject root;
        try {
            Document document = XMLObjectProviderRegistrySupport.getParserPool().parse(new ByteArrayInputStream(bytes));
            root = XMLObjectSupport.getUnmarshaller(document.getDocumentElement())
                    .unmarshall(document.getDocumentElement());
        }
        catch (Exception ex) {
            Throwable cause = ex;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw InvalidRequestException.field("metadataXml", "The IdP metadata is not valid XML: " + cause.getMessage());
        }
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
