package dev.roster.sso.demo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.Inflater;

import javax.xml.namespace.QName;

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
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;
import org.springframework.context.annotation.Profile;
import org.springframework.security.saml2.core.OpenSamlInitializationService;
import org.springframework.stereotype.Component;
import org.w3c.dom.Element;

import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.saml.Certificates;
import dev.roster.sso.saml.SpUrls;

/**
 * DEMO ONLY (profile {@code demo}): a mock identity provider inside Roster, so a newcomer can sign in through SSO
 * and watch just-in-time provisioning and group-to-team mapping without an Entra or Okta tenant. It signs real SAML
 * responses with OpenSAML, with a key pair made at every start (nothing secret is shipped), and plays two IdPs:
 * an Entra-flavoured one (claim URIs, group object ids) and an Okta-flavoured one (plain attribute names, group
 * names). It does not exist in any other profile.
 */
@Component
@Profile("demo")
public class DemoIdp {

    static {
        OpenSamlInitializationService.initialize();
    }

    /** A person the mock IdP can sign in. */
    record DemoUser(String id, String name, String givenName, String surname, String email, List<String> groups,
                    String story) {
    }

    /** One of the two mock IdPs. */
    public record Flavour(String key, ConnectionKind kind, String label, String domain, List<DemoUser> users) {
    }

    static final String ENTRA_ALL_STAFF = "6f1a9e4c-2b7d-4c3e-9a51-0d2f3b4c5d61";
    public static final String ENTRA_ENGINEERING = "0b8f2c1d-7e6a-4f5b-8c9d-1a2b3c4d5e6f";
    static final String ENTRA_DESIGN = "9c7d5e3f-1a2b-4c6d-8e0f-2b4d6f8a0c1e";
    public static final String ENTRA_ROSTER_ADMINS = "3e5f7a9b-1c2d-4e6f-8a0b-4c6e8a0b2d4f";

    public static final List<Flavour> FLAVOURS = List.of(
            new Flavour("entra", ConnectionKind.ENTRA, "Demo Entra ID (mock)", "contoso-demo.test", List.of(
                    new DemoUser("8d3f1a2b-5c4e-4f6a-9b8c-7d6e5f4a3b2c", "Ada Lovelace", "Ada", "Lovelace",
                            "ada@contoso-demo.test", List.of(ENTRA_ALL_STAFF, ENTRA_ENGINEERING, ENTRA_ROSTER_ADMINS),
                            "All staff, Engineering and Roster Admins: joins as an admin in the Engineering team."),
                    new DemoUser("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "Alan Turing", "Alan", "Turing",
                            "alan@contoso-demo.test", List.of(ENTRA_ALL_STAFF, ENTRA_DESIGN),
                            "All staff and Design: joins as a member of the Design team."),
                    new DemoUser("5f4e3d2c-1b0a-4987-8654-3210fedcba98", "Mallory Contractor", "Mallory",
                            "Contractor", "mallory@contoso-demo.test", List.of(),
                            "In no group the organization granted access to: refused, and the refusal is audited."))),
            new Flavour("okta", ConnectionKind.OKTA, "Demo Okta (mock)", "okta-demo.test", List.of(
                    new DemoUser("00u1grace0demo0okta", "Grace Hopper", "Grace", "Hopper", "grace@okta-demo.test",
                            List.of("Everyone", "Support"), "Everyone and Support: joins in the Support team."),
                    new DemoUser("00u2linus0demo0okta", "Linus Torvalds", "Linus", "Torvalds",
                            "linus@okta-demo.test", List.of("Everyone", "Engineering"),
                            "Everyone and Engineering: joins in the Engineering team. Sign in again after "
                                    + "changing nothing, and the teams stay as they are."))));

    private final SpUrls urls;
    private final Clock clock;
    private final Certificates.KeyMaterial keys;

    DemoIdp(SpUrls urls, Clock clock) {
        this.urls = urls;
        this.clock = clock;
        this.keys = Certificates.generate("roster-demo-idp", clock.instant().minus(Duration.ofDays(1)),
                clock.instant().plus(Duration.ofDays(365)), 2048);
    }

    Optional<Flavour> flavour(String key) {
        return FLAVOURS.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    String entityId(Flavour flavour) {
        return urls.url("/demo-idp/" + flavour.key());
    }

    public String metadataXml(Flavour flavour) {
        String sso = urls.url("/demo-idp/" + flavour.key() + "/sso");
        return """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
                    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="%s">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
                      <ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(entityId(flavour), Certificates.base64(keys.certificate()), sso);
    }

    X509Certificate certificate() {
        return keys.certificate();
    }

    /** Reads an AuthnRequest of the HTTP-Redirect binding, inflating at most 64 KB. */
    AuthnRequest readRequest(String samlRequest) {
        try {
            Inflater inflater = new Inflater(true);
            inflater.setInput(Base64.getMimeDecoder().decode(samlRequest));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished() && out.size() <= 65536) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            inflater.end();
            XMLObject parsed = XMLObjectSupport.unmarshallFromInputStream(
                    XMLObjectProviderRegistrySupport.getParserPool(), new ByteArrayInputStream(out.toByteArray()));
            if (parsed instanceof AuthnRequest request) {
                return request;
            }
        }
        catch (Exception ex) {
            throw new IllegalArgumentException("not an AuthnRequest", ex);
        }
        throw new IllegalArgumentException("not an AuthnRequest");
    }

    /** A signed response for the user, answering the request, for the connection's ACS and audience. */
    String signedResponse(Flavour flavour, DemoUser user, UUID connectionId, String inResponseTo) {
        try {
            Instant now = clock.instant();
            String acs = urls.acs(connectionId);
            Response response = build(Response.DEFAULT_ELEMENT_NAME);
            response.setID("_" + UUID.randomUUID());
            response.setVersion(SAMLVersion.VERSION_20);
            response.setIssueInstant(now);
            response.setDestination(acs);
            response.setInResponseTo(inResponseTo);
            response.setIssuer(issuer(flavour));
            Status status = build(Status.DEFAULT_ELEMENT_NAME);
            StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
            code.setValue(StatusCode.SUCCESS);
            status.setStatusCode(code);
            response.setStatus(status);
            Assertion assertion = build(Assertion.DEFAULT_ELEMENT_NAME);
            assertion.setID("_" + UUID.randomUUID());
            assertion.setVersion(SAMLVersion.VERSION_20);
            assertion.setIssueInstant(now);
            assertion.setIssuer(issuer(flavour));
            Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
            NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
            nameId.setValue(flavour.kind() == ConnectionKind.ENTRA ? user.email() : user.id());
            nameId.setFormat(flavour.kind() == ConnectionKind.ENTRA ? NameIDType.EMAIL : NameIDType.PERSISTENT);
            subject.setNameID(nameId);
            SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
            confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
            SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
            data.setRecipient(acs);
            data.setNotOnOrAfter(now.plus(Duration.ofMinutes(5)));
            data.setInResponseTo(inResponseTo);
            confirmation.setSubjectConfirmationData(data);
            subject.getSubjectConfirmations().add(confirmation);
            assertion.setSubject(subject);
            Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
            conditions.setNotBefore(now.minusSeconds(30));
            conditions.setNotOnOrAfter(now.plus(Duration.ofMinutes(5)));
            AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
            Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
            audience.setURI(urls.entityId(connectionId));
            restriction.getAudiences().add(audience);
            conditions.getAudienceRestrictions().add(restriction);
            assertion.setConditions(conditions);
            AuthnStatement authn = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
            authn.setAuthnInstant(now);
            authn.setSessionIndex("_" + UUID.randomUUID());
            AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
            AuthnContextClassRef ref = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
            ref.setURI(AuthnContext.PPT_AUTHN_CTX);
            context.setAuthnContextClassRef(ref);
            authn.setAuthnContext(context);
            assertion.getAuthnStatements().add(authn);
            AttributeStatement attributes = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
            attributes(flavour, user).forEach((name, values) -> attributes.getAttributes().add(attribute(name, values)));
            assertion.getAttributeStatements().add(attributes);
            response.getAssertions().add(assertion);
            Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
            signature.setSigningCredential(new BasicX509Credential(keys.certificate(), keys.privateKey()));
            signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
            signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            assertion.setSignature(signature);
            Element element = XMLObjectSupport.marshall(response);
            Signer.signObject(signature);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            net.shibboleth.utilities.java.support.xml.SerializeSupport.writeNode(element, out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        }
        catch (Exception ex) {
            throw new IllegalStateException("the demo IdP could not sign a response", ex);
        }
    }

    private static Map<String, List<String>> attributes(Flavour flavour, DemoUser user) {
        if (flavour.kind() == ConnectionKind.ENTRA) {
            String claims = AttributeMapping.ENTRA_CLAIMS;
            return Map.of(AttributeMapping.ENTRA_OBJECT_ID, List.of(user.id()),
                    claims + "emailaddress", List.of(user.email()), claims + "givenname", List.of(user.givenName()),
                    claims + "surname", List.of(user.surname()), claims + "name", List.of(user.email()),
                    AttributeMapping.ENTRA_GROUPS, user.groups());
        }
        return Map.of("email", List.of(user.email()), "firstName", List.of(user.givenName()),
                "lastName", List.of(user.surname()), "groups", user.groups());
    }

    private static Attribute attribute(String name, List<String> values) {
        Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
        attribute.setName(name);
        for (String value : values) {
            XSString xs = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilder(XSString.TYPE_NAME)
                    .buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
            xs.setValue(value);
            attribute.getAttributeValues().add(xs);
        }
        return attribute;
    }

    private Issuer issuer(Flavour flavour) {
        Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(entityId(flavour));
        return issuer;
    }

    @SuppressWarnings("unchecked")
    private static <T extends XMLObject> T build(QName name) {
        return (T) XMLObjectSupport.buildXMLObject(name);
    }
}
