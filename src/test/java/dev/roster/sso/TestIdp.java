package dev.roster.sso;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Inflater;

import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;
import org.springframework.security.saml2.core.OpenSamlInitializationService;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.roster.sso.saml.Certificates;

/**
 * A SAML identity provider for tests: its own key pair, metadata, and responses built and signed with OpenSAML, as
 * Entra ID or Okta would send them. Tests change any part of a response through {@link Spec} to attack Roster.
 */
final class TestIdp {

    static {
        OpenSamlInitializationService.initialize();
    }

    final String entityId;
    final String ssoUrl;
    final String sloUrl;
    final PrivateKey key;
    final X509Certificate certificate;

    TestIdp(String name) {
        this(name, Certificates.generate("test-idp-" + name, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), 2048));
    }

    TestIdp(String name, Certificates.KeyMaterial keys) {
        this.entityId = "https://idp.test/" + name;
        this.ssoUrl = "https://idp.test/" + name + "/sso";
        this.sloUrl = "https://idp.test/" + name + "/slo";
        this.key = keys.privateKey();
        this.certificate = keys.certificate();
    }

    String metadataXml() {
        return metadataXml(List.of(certificate));
    }

    String metadataXml(List<X509Certificate> signingCertificates) {
        StringBuilder keys = new StringBuilder();
        for (X509Certificate cert : signingCertificates) {
            keys.append("""
                    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate>
                    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>""".formatted(Certificates.base64(cert)));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
                    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="%s">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    %s
                    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
                    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s"/>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(entityId, keys, sloUrl, ssoUrl, ssoUrl);
    }

    /** Everything a response says; defaults make a valid response for a connection. */
    static final class Spec {
        String issuer;
        String assertionIssuer;
        String destination;
        String recipient;
        String audience;
        String inResponseTo;
        String responseInResponseTo;
        String nameId = "nameid-" + UUID.randomUUID();
        String nameIdFormat = NameIDType.PERSISTENT;
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        Instant issued = Instant.now();
        Instant notBefore = Instant.now().minusSeconds(60);
        Instant notOnOrAfter = Instant.now().plus(Duration.ofMinutes(5));
        Instant confirmationNotOnOrAfter = Instant.now().plus(Duration.ofMinutes(5));
        boolean signAssertion = true;
        boolean signResponse = false;
        boolean includeKeyInfo = false;
        PrivateKey signingKey;
        X509Certificate signingCertificate;
        String assertionId = "_a" + UUID.randomUUID();
        String responseId = "_r" + UUID.randomUUID();
        String statusCode = StatusCode.SUCCESS;
        /** Set to encrypt the assertion for this SP certificate, as {@link #encryption} says. */
        X509Certificate encryptFor;
        Encryption encryption = Encryption.ENTRA;
        boolean encryptNameId;

        Spec attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }
    }

    /**
     * How an IdP encrypts: content algorithm, key transport (with its OAEP digest and mask function), and where the
     * EncryptedKey goes: inside the EncryptedData's KeyInfo (inline) or beside it in the EncryptedAssertion (peer).
     */
    record Encryption(String content, String keyTransport, String oaepDigest, String oaepMgf,
                      org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement placement) {

        /** Entra ID's token encryption: AES-256-CBC, RSA-OAEP (MGF1 with SHA-1), the key inline with its certificate. */
        static final Encryption ENTRA = new Encryption(
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP,
                SignatureConstants.ALGO_ID_DIGEST_SHA1, null,
                org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement.INLINE);
        /** Keycloak 26 on importing SP metadata with an encryption key: AES-256-GCM, RSA-OAEP, the key inline. */
        static final Encryption KEYCLOAK = new Encryption(
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP,
                SignatureConstants.ALGO_ID_DIGEST_SHA1, null,
                org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement.INLINE);
        /** Keycloak with the XML Encryption 1.1 key transport: RSA-OAEP with SHA-256 and MGF1-SHA256. */
        static final Encryption KEYCLOAK_OAEP11 = new Encryption(
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP11,
                SignatureConstants.ALGO_ID_DIGEST_SHA256,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_MGF1_SHA256,
                org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement.INLINE);
        /** Okta's "Assertion Encryption" with AES-128-GCM and RSA-OAEP, the EncryptedKey as a peer of the data. */
        static final Encryption OKTA = new Encryption(
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128_GCM,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP,
                SignatureConstants.ALGO_ID_DIGEST_SHA1, null,
                org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement.PEER);
        /** AES-128-CBC with RSA PKCS#1 v1.5 key transport, which an older IdP may still send. */
        static final Encryption RSA15 = new Encryption(
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128,
                org.opensaml.xmlsec.encryption.support.EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSA15, null, null,
                org.opensaml.saml.saml2.encryption.Encrypter.KeyPlacement.INLINE);
    }

    private static org.opensaml.saml.saml2.encryption.Encrypter encrypter(Spec spec) {
        var data = new org.opensaml.xmlsec.encryption.support.DataEncryptionParameters();
        data.setAlgorithm(spec.encryption.content());
        var key = new org.opensaml.xmlsec.encryption.support.KeyEncryptionParameters();
        key.setEncryptionCredential(new BasicX509Credential(spec.encryptFor));
        key.setAlgorithm(spec.encryption.keyTransport());
        if (spec.encryption.oaepDigest() != null) {
            key.setRSAOAEPParameters(new org.opensaml.xmlsec.encryption.support.RSAOAEPParameters(
                    spec.encryption.oaepDigest(), spec.encryption.oaepMgf(), null));
        }
        X509KeyInfoGeneratorFactory keyInfo = new X509KeyInfoGeneratorFactory();
        keyInfo.setEmitEntityCertificate(true);
        key.setKeyInfoGenerator(keyInfo.newInstance());
        var encrypter = new org.opensaml.saml.saml2.encryption.Encrypter(data, key);
        encrypter.setKeyPlacement(spec.encryption.placement());
        return encrypter;
    }

    /** A spec addressed to the connection's ACS and audience, with this IdP as issuer. */
    Spec spec(String acsUrl, String spEntityId) {
        Spec spec = new Spec();
        spec.issuer = entityId;
        spec.destination = acsUrl;
        spec.recipient = acsUrl;
        spec.audience = spEntityId;
        spec.signingKey = key;
        spec.signingCertificate = certificate;
        return spec;
    }

    /** The Entra ID attribute shape: claim URIs, object id, group object ids. */
    static Spec entra(Spec spec, String objectId, String email, String given, String surname, String... groupIds) {
        String claims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
        spec.nameId = email;
        spec.nameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
        spec.attribute("http://schemas.microsoft.com/identity/claims/tenantid", UUID.randomUUID().toString());
        spec.attribute("http://schemas.microsoft.com/identity/claims/objectidentifier", objectId);
        spec.attribute(claims + "emailaddress", email);
        spec.attribute(claims + "givenname", given);
        spec.attribute(claims + "surname", surname);
        spec.attribute(claims + "name", email);
        if (groupIds.length > 0) {
            spec.attribute("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", groupIds);
        }
        return spec;
    }

    /** The Okta attribute shape: plain names, a groups attribute statement with group names. */
    static Spec okta(Spec spec, String email, String first, String last, String... groupNames) {
        spec.nameId = email;
        spec.nameIdFormat = NameIDType.UNSPECIFIED;
        spec.attribute("email", email);
        spec.attribute("firstName", first);
        spec.attribute("lastName", last);
        if (groupNames.length > 0) {
            spec.attribute("groups", groupNames);
        }
        spec.signResponse = true;
        return spec;
    }

    String responseXml(Spec spec) {
        try {
            Response response = build(Response.DEFAULT_ELEMENT_NAME);
            response.setID(spec.responseId);
            response.setVersion(SAMLVersion.VERSION_20);
            response.setIssueInstant(spec.issued);
            response.setDestination(spec.destination);
            response.setInResponseTo(spec.responseInResponseTo != null ? spec.responseInResponseTo : spec.inResponseTo);
            response.setIssuer(issuer(spec.issuer));
            Status status = build(Status.DEFAULT_ELEMENT_NAME);
            StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
            code.setValue(spec.statusCode);
            status.setStatusCode(code);
            response.setStatus(status);
            Assertion assertion = assertion(spec);
            if (spec.encryptFor != null) {
                // As an IdP does it: sign the assertion, encrypt it signed, then sign the response around it.
                var encrypter = encrypter(spec);
                if (spec.encryptNameId) {
                    assertion.getSubject().setEncryptedID(encrypter.encrypt(assertion.getSubject().getNameID()));
                    assertion.getSubject().setNameID(null);
                }
                if (spec.signAssertion) {
                    Signature signature = signature(spec);
                    assertion.setSignature(signature);
                    XMLObjectSupport.marshall(assertion);
                    Signer.signObject(signature);
                }
                response.getEncryptedAssertions().add(encrypter.encrypt(assertion));
                List<Signature> signatures = new ArrayList<>();
                if (spec.signResponse) {
                    Signature signature = signature(spec);
                    response.setSignature(signature);
                    signatures.add(signature);
                }
                Element element = XMLObjectSupport.marshall(response);
                Signer.signObjects(signatures);
                return serialize(element.getOwnerDocument());
            }
            response.getAssertions().add(assertion);
            List<Signature> signatures = new ArrayList<>();
            if (spec.signAssertion) {
                Signature signature = signature(spec);
                assertion.setSignature(signature);
                signatures.add(signature);
            }
            if (spec.signResponse) {
                Signature signature = signature(spec);
                response.setSignature(signature);
                signatures.add(signature);
            }
            Element element = XMLObjectSupport.marshall(response);
            Signer.signObjects(signatures);
            return serialize(element.getOwnerDocument());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    String response(Spec spec) {
        return base64(responseXml(spec));
    }

    static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    private Assertion assertion(Spec spec) {
        Assertion assertion = build(Assertion.DEFAULT_ELEMENT_NAME);
        assertion.setID(spec.assertionId);
        assertion.setVersion(SAMLVersion.VERSION_20);
        assertion.setIssueInstant(spec.issued);
        assertion.setIssuer(issuer(spec.assertionIssuer != null ? spec.assertionIssuer : spec.issuer));
        Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
        NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
        nameId.setValue(spec.nameId);
        nameId.setFormat(spec.nameIdFormat);
        subject.setNameID(nameId);
        SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
        confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
        SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
        data.setRecipient(spec.recipient);
        data.setNotOnOrAfter(spec.confirmationNotOnOrAfter);
        data.setInResponseTo(spec.inResponseTo);
        confirmation.setSubjectConfirmationData(data);
        subject.getSubjectConfirmations().add(confirmation);
        assertion.setSubject(subject);
        Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
        conditions.setNotBefore(spec.notBefore);
        conditions.setNotOnOrAfter(spec.notOnOrAfter);
        if (spec.audience != null) {
            AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
            Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
            audience.setURI(spec.audience);
            restriction.getAudiences().add(audience);
            conditions.getAudienceRestrictions().add(restriction);
        }
        assertion.setConditions(conditions);
        AuthnStatement authn = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
        authn.setAuthnInstant(spec.issued);
        authn.setSessionIndex("_s" + UUID.randomUUID());
        AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
        AuthnContextClassRef ref = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
        ref.setURI(AuthnContext.PPT_AUTHN_CTX);
        context.setAuthnContextClassRef(ref);
        authn.setAuthnContext(context);
        assertion.getAuthnStatements().add(authn);
        if (!spec.attributes.isEmpty()) {
            AttributeStatement statement = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
            spec.attributes.forEach((name, values) -> {
                Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
                attribute.setName(name);
                for (String value : values) {
                    XSString xs = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory()
                            .getBuilder(XSString.TYPE_NAME)
                            .buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
                    xs.setValue(value);
                    attribute.getAttributeValues().add(xs);
                }
                statement.getAttributes().add(attribute);
            });
            assertion.getAttributeStatements().add(statement);
        }
        return assertion;
    }

    private Signature signature(Spec spec) throws Exception {
        Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
        BasicX509Credential credential = new BasicX509Credential(spec.signingCertificate, spec.signingKey);
        signature.setSigningCredential(credential);
        signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
        signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        if (spec.includeKeyInfo) {
            X509KeyInfoGeneratorFactory factory = new X509KeyInfoGeneratorFactory();
            factory.setEmitEntityCertificate(true);
            signature.setKeyInfo(factory.newInstance().generate(credential));
        }
        return signature;
    }

    private static Issuer issuer(String value) {
        Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(value);
        return issuer;
    }

    @SuppressWarnings("unchecked")
    static <T extends XMLObject> T build(QName name) {
        return (T) XMLObjectSupport.buildXMLObject(name);
    }

    static String serialize(Document document) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Reads the AuthnRequest of an HTTP-Redirect binding URL. */
    static AuthnRequest authnRequest(String samlRequest) {
        try {
            byte[] deflated = Base64.getMimeDecoder().decode(samlRequest);
            Inflater inflater = new Inflater(true);
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            return (AuthnRequest) XMLObjectSupport.unmarshallFromInputStream(
                    XMLObjectProviderRegistrySupport.getParserPool(), new ByteArrayInputStream(out.toByteArray()));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static final String POST_BINDING = SAMLConstants.SAML2_POST_BINDING_URI;

    /**
     * The query string of a LogoutRequest sent with the HTTP-Redirect binding, signed as the binding signs it
     * ({@code SAMLRequest=…&SigAlg=…} signed with RSA-SHA256, the signature in {@code Signature}) with {@code signer}.
     */
    String signedLogoutRequestQuery(String destination, String nameIdValue, PrivateKey signer) {
        try {
            String signedPart = "SAMLRequest=" + URLEncoder.encode(logoutRequest(destination, nameIdValue),
                    StandardCharsets.UTF_8) + "&SigAlg=" + URLEncoder.encode(
                    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", StandardCharsets.UTF_8);
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA");
            signature.initSign(signer);
            signature.update(signedPart.getBytes(StandardCharsets.UTF_8));
            return signedPart + "&Signature=" + URLEncoder.encode(Base64.getEncoder().encodeToString(signature.sign()),
                    StandardCharsets.UTF_8);
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A message in the HTTP-Redirect binding signed as the bindings specification says (3.4.4.1): the signed octets are
     * {@code SAMLRequest=…} or {@code SAMLResponse=…}, {@code &RelayState=…} when there is one, {@code &SigAlg=…},
     * URL-encoded as sent; the query sends them in that order with the {@code Signature} last.
     */
    static String signedRedirectQuery(String parameter, String encodedMessage, String relayState, PrivateKey signer) {
        try {
            String signedPart = parameter + "=" + URLEncoder.encode(encodedMessage, StandardCharsets.UTF_8)
                    + (relayState == null ? "" : "&RelayState=" + URLEncoder.encode(relayState, StandardCharsets.UTF_8))
                    + "&SigAlg=" + URLEncoder.encode("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                    StandardCharsets.UTF_8);
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA");
            signature.initSign(signer);
            signature.update(signedPart.getBytes(StandardCharsets.UTF_8));
            return signedPart + "&Signature=" + URLEncoder.encode(Base64.getEncoder().encodeToString(signature.sign()),
                    StandardCharsets.UTF_8);
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** An unsigned LogoutRequest for the HTTP-Redirect binding (deflated, base64). */
    String logoutRequest(String destination, String nameIdValue) {
        try {
            org.opensaml.saml.saml2.core.LogoutRequest request = build(
                    org.opensaml.saml.saml2.core.LogoutRequest.DEFAULT_ELEMENT_NAME);
            request.setID("_lr" + UUID.randomUUID());
            request.setVersion(SAMLVersion.VERSION_20);
            request.setIssueInstant(Instant.now());
            request.setDestination(destination);
            request.setIssuer(issuer(entityId));
            NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
            nameId.setValue(nameIdValue);
            request.setNameID(nameId);
            String xml = serialize(XMLObjectSupport.marshall(request).getOwnerDocument());
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFLATED, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var stream = new java.util.zip.DeflaterOutputStream(out, deflater)) {
                stream.write(xml.getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A LogoutResponse saying the logout succeeded, for the HTTP-Redirect binding (deflated, base64; unsigned). */
    String logoutResponse(String destination, String inResponseTo) {
        org.opensaml.saml.saml2.core.LogoutResponse response = build(
                org.opensaml.saml.saml2.core.LogoutResponse.DEFAULT_ELEMENT_NAME);
        response.setID("_lres" + UUID.randomUUID());
        response.setVersion(SAMLVersion.VERSION_20);
        response.setIssueInstant(Instant.now());
        response.setDestination(destination);
        response.setInResponseTo(inResponseTo);
        response.setIssuer(issuer(entityId));
        Status status = build(Status.DEFAULT_ELEMENT_NAME);
        StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
        code.setValue(StatusCode.SUCCESS);
        status.setStatusCode(code);
        response.setStatus(status);
        return deflate(response);
    }

    private static String deflate(XMLObject message) {
        try {
            String xml = serialize(XMLObjectSupport.marshall(message).getOwnerDocument());
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFLATED, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var stream = new java.util.zip.DeflaterOutputStream(out, deflater)) {
                stream.write(xml.getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Reads a deflated SAML message of the HTTP-Redirect binding. */
    static XMLObject redirectMessage(String encoded) {
        try {
            Inflater inflater = new Inflater(true);
            inflater.setInput(Base64.getMimeDecoder().decode(encoded));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            return XMLObjectSupport.unmarshallFromInputStream(XMLObjectProviderRegistrySupport.getParserPool(),
                    new ByteArrayInputStream(out.toByteArray()));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
