package dev.roster.bench;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.xml.namespace.QName;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;
import org.springframework.security.saml2.core.OpenSamlInitializationService;
import org.w3c.dom.Element;

/**
 * An identity provider for the benchmark, adapted from the tests' TestIdp: its own RSA-2048 key, metadata, and
 * responses shaped like Microsoft Entra ID's (claim URIs, object id, group object ids; the assertion signed with
 * RSA-SHA256 and exclusive canonicalization, the response not), built and signed with OpenSAML.
 */
final class BenchIdp {

    static {
        OpenSamlInitializationService.initialize();
    }

    private static final String CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

    final String entityId = "https://idp.bench.test/" + UUID.randomUUID();
    private final String ssoUrl = entityId + "/sso";
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String tenantId = UUID.randomUUID().toString();

    BenchIdp() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=bench-idp");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name,
                    pair.getPublic());
            this.certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            this.key = pair.getPrivate();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    String metadataXml() {
        try {
            String cert = Base64.getEncoder().encodeToString(certificate.getEncoded());
            return """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
                        xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="%s">
                      <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                        <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s\
                    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
                      </md:IDPSSODescriptor>
                    </md:EntityDescriptor>
                    """.formatted(entityId, cert, ssoUrl);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A person as Entra ID asserts them. */
    record Person(String objectId, String email, String given, String surname, List<String> groupIds) {
    }

    /**
     * An unsolicited (IdP-initiated) response for the connection, base64 as the HTTP-POST binding carries it. Each
     * call has fresh response and assertion IDs, so the replay cache sees every one for the first time.
     */
    String signedResponse(String acsUrl, String spEntityId, Person person, Duration validFor) {
        Instant now = Instant.now();
        Response response = build(Response.DEFAULT_ELEMENT_NAME);
        response.setID("_r" + UUID.randomUUID());
        response.setVersion(SAMLVersion.VERSION_20);
        response.setIssueInstant(now);
        response.setDestination(acsUrl);
        response.setIssuer(issuer());
        Status status = build(Status.DEFAULT_ELEMENT_NAME);
        StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
        code.setValue(StatusCode.SUCCESS);
        status.setStatusCode(code);
        response.setStatus(status);

        Assertion assertion = build(Assertion.DEFAULT_ELEMENT_NAME);
        assertion.setID("_a" + UUID.randomUUID());
        assertion.setVersion(SAMLVersion.VERSION_20);
        assertion.setIssueInstant(now);
        assertion.setIssuer(issuer());
        Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
        NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
        nameId.setValue(person.email());
        nameId.setFormat("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        subject.setNameID(nameId);
        SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
        confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
        SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
        data.setRecipient(acsUrl);
        data.setNotOnOrAfter(now.plus(validFor));
        confirmation.setSubjectConfirmationData(data);
        subject.getSubjectConfirmations().add(confirmation);
        assertion.setSubject(subject);
        Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
        conditions.setNotBefore(now.minusSeconds(60));
        conditions.setNotOnOrAfter(now.plus(validFor));
        AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
        Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
        audience.setURI(spEntityId);
        restriction.getAudiences().add(audience);
        conditions.getAudienceRestrictions().add(restriction);
        assertion.setConditions(conditions);
        AuthnStatement authn = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
        authn.setAuthnInstant(now);
        authn.setSessionIndex("_s" + UUID.randomUUID());
        AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
        AuthnContextClassRef ref = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
        ref.setURI(AuthnContext.PPT_AUTHN_CTX);
        context.setAuthnContextClassRef(ref);
        authn.setAuthnContext(context);
        assertion.getAuthnStatements().add(authn);
        AttributeStatement statement = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
        Map<String, List<String>> attributes = new java.util.LinkedHashMap<>();
        attributes.put("http://schemas.microsoft.com/identity/claims/tenantid", List.of(tenantId));
        attributes.put("http://schemas.microsoft.com/identity/claims/objectidentifier", List.of(person.objectId()));
        attributes.put(CLAIMS + "emailaddress", List.of(person.email()));
        attributes.put(CLAIMS + "givenname", List.of(person.given()));
        attributes.put(CLAIMS + "surname", List.of(person.surname()));
        attributes.put(CLAIMS + "name", List.of(person.email()));
        attributes.put("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", person.groupIds());
        attributes.forEach((name, values) -> {
            Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
            attribute.setName(name);
            for (String value : values) {
                XSString xs = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory()
                        .getBuilder(XSString.TYPE_NAME).buildObject(AttributeValue.DEFAULT_ELEMENT_NAME,
                                XSString.TYPE_NAME);
                xs.setValue(value);
                attribute.getAttributeValues().add(xs);
            }
            statement.getAttributes().add(attribute);
        });
        assertion.getAttributeStatements().add(statement);
        response.getAssertions().add(assertion);

        try {
            Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
            signature.setSigningCredential(new BasicX509Credential(certificate, key));
            signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
            signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            assertion.setSignature(signature);
            Element element = XMLObjectSupport.marshall(response);
            Signer.signObject(signature);
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element.getOwnerDocument()), new StreamResult(out));
            return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (Exception ex) {
            throw new IllegalStateException("cannot sign the response", ex);
        }
    }

    private Issuer issuer() {
        Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(entityId);
        return issuer;
    }

    @SuppressWarnings("unchecked")
    private static <T extends XMLObject> T build(QName name) {
        return (T) XMLObjectSupport.buildXMLObject(name);
    }
}
