package dev.roster.sso.saml;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.EncryptedAttribute;
import org.opensaml.saml.saml2.core.EncryptedElementType;
import org.opensaml.saml.saml2.core.EncryptedID;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.credential.CredentialSupport;
import org.opensaml.xmlsec.DecryptionParameters;
import org.opensaml.xmlsec.encryption.EncryptedData;
import org.opensaml.xmlsec.encryption.EncryptedKey;
import org.opensaml.xmlsec.encryption.MGF;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.DecryptionException;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
import org.opensaml.xmlsec.keyinfo.impl.CollectionKeyInfoCredentialResolver;
import org.opensaml.xmlsec.signature.DigestMethod;
import org.opensaml.xmlsec.signature.support.SignatureConstants;

/**
 * Decrypts what an IdP encrypted for one connection (an EncryptedAssertion, an EncryptedID, an EncryptedAttribute)
 * with OpenSAML's SAML 2 {@link Decrypter}, as Spring Security's provider does, but with Roster's own algorithm
 * policy: the content must be AES-128, -192 or -256 in CBC or GCM mode, the key must come with RSA-OAEP (the XML
 * Encryption 1.0 {@code rsa-oaep-mgf1p} or 1.1 {@code rsa-oaep}, SHA-1 or SHA-2 digests). RSA PKCS#1 v1.5 key transport
 * only where the connection opts in: it is open to Bleichenbacher-style padding-oracle attacks.
 * <p>
 * Every SP key the connection holds is tried (the current one and, during a rollover, the next one), whichever the
 * IdP chose. The EncryptedKey may sit inside the EncryptedData's KeyInfo (Keycloak, Entra ID, Okta) or next to it in
 * the encrypted element (OpenSAML's and Shibboleth's "peer" placement), or be referenced by a RetrievalMethod.
 */
final class AssertionDecrypter {

    static final Set<String> CONTENT_ALGORITHMS = Set.of(EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128_GCM, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192_GCM,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    static final Set<String> KEY_TRANSPORT_ALGORITHMS = Set.of(EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP,
            EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP11);
    static final String RSA15 = EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSA15;
    /** Digests and mask generation functions RSA-OAEP may name. */
    private static final Set<String> OAEP_PARAMETERS = Set.of(SignatureConstants.ALGO_ID_DIGEST_SHA1,
            SignatureConstants.ALGO_ID_DIGEST_SHA256, SignatureConstants.ALGO_ID_DIGEST_SHA384,
            SignatureConstants.ALGO_ID_DIGEST_SHA512, EncryptionConstants.ALGO_ID_MGF1_SHA1,
            EncryptionConstants.ALGO_ID_MGF1_SHA256, EncryptionConstants.ALGO_ID_MGF1_SHA384,
            EncryptionConstants.ALGO_ID_MGF1_SHA512);

    /** A refusal to decrypt, in words for the audit log. */
    static final class Refused extends Exception {

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An SP key pair the IdP may have encrypted for. */
    record SpKey(PrivateKey privateKey, X509Certificate certificate) {
    }

    private final Decrypter decrypter;
    private final boolean allowRsa15;

    AssertionDecrypter(List<SpKey> keys, boolean allowRsa15) {
        this.allowRsa15 = allowRsa15;
        Collection<Credential> credentials = new ArrayList<>();
        for (SpKey key : keys) {
            credentials.add(CredentialSupport.getSimpleCredential(key.certificate(), key.privateKey()));
        }
        DecryptionParameters parameters = new DecryptionParameters();
        parameters.setKEKKeyInfoCredentialResolver(new CollectionKeyInfoCredentialResolver(credentials));
        parameters.setEncryptedKeyResolver(new ChainingEncryptedKeyResolver(List.of(new InlineEncryptedKeyResolver(),
                new EncryptedElementTypeEncryptedKeyResolver(), new SimpleRetrievalMethodEncryptedKeyResolver())));
        List<String> allowed = new ArrayList<>(CONTENT_ALGORITHMS);
        allowed.addAll(KEY_TRANSPORT_ALGORITHMS);
        allowed.addAll(OAEP_PARAMETERS);
        if (allowRsa15) {
            allowed.add(RSA15);
        }
        parameters.setWhitelistedAlgorithms(allowed);
        this.decrypter = new Decrypter(parameters);
        // The decrypted element gets a document of its own, so its ID attributes and signature stand on their own.
        this.decrypter.setRootInNewDocument(true);
    }

    Assertion decrypt(EncryptedAssertion encrypted) throws Refused {
        checkAlgorithms(encrypted);
        try {
            return decrypter.decrypt(encrypted);
        }
        catch (DecryptionException | RuntimeException ex) {
            throw failed("EncryptedAssertion", ex);
        }
    }

    /** Decrypts an assertion's encrypted NameIDs and attributes in place. */
    void decryptElements(Assertion assertion) throws Refused {
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            List<Attribute> decrypted = new ArrayList<>();
            for (EncryptedAttribute encrypted : statement.getEncryptedAttributes()) {
                checkAlgorithms(encrypted);
                try {
                    decrypted.add(decrypter.decrypt(encrypted));
                }
                catch (DecryptionException | RuntimeException ex) {
                    throw failed("EncryptedAttribute", ex);
                }
            }
            statement.getAttributes().addAll(decrypted);
        }
        Subject subject = assertion.getSubject();
        if (subject == null) {
            return;
        }
        if (subject.getEncryptedID() != null) {
            subject.setNameID(nameId(subject.getEncryptedID()));
        }
        for (SubjectConfirmation confirmation : subject.getSubjectConfirmations()) {
            if (confirmation.getEncryptedID() != null) {
                confirmation.setNameID(nameId(confirmation.getEncryptedID()));
            }
        }
    }

    private NameID nameId(EncryptedID encrypted) throws Refused {
        checkAlgorithms(encrypted);
        try {
            if (decrypter.decrypt(encrypted) instanceof NameID nameId) {
                return nameId;
            }
        }
        catch (DecryptionException | RuntimeException ex) {
            throw failed("EncryptedID", ex);
        }
        throw new Refused("the EncryptedID does not hold a NameID", null);
    }

    /**
     * Checks the element's shape ({@link EncryptedXmlProfile}) before OpenSAML reads it, and names an algorithm Roster
     * does not accept before OpenSAML refuses it, because OpenSAML only reports that no key
     * could be decrypted, and an admin needs to know which setting to change at the IdP.
     */
    private void checkAlgorithms(EncryptedElementType element) throws Refused {
        org.w3c.dom.Element dom = element.getDOM();
        if (dom == null) {
            throw new Refused("the encrypted element could not be read", null);
        }
        java.util.Optional<String> violation = EncryptedXmlProfile.violation(dom);
        if (violation.isPresent()) {
            throw new Refused(violation.get(), null);
        }
        EncryptedData data = element.getEncryptedData();
        if (data == null || data.getEncryptionMethod() == null) {
            throw new Refused("the encrypted element names no content encryption algorithm", null);
        }
        String content = data.getEncryptionMethod().getAlgorithm();
        if (!CONTENT_ALGORITHMS.contains(content)) {
            throw new Refused("content encryption " + content + " is not accepted (AES-128/192/256 in CBC or GCM "
                    + "mode are)", null);
        }
        List<EncryptedKey> keys = new ArrayList<>(element.getEncryptedKeys());
        if (data.getKeyInfo() != null) {
            keys.addAll(data.getKeyInfo().getEncryptedKeys());
        }
        for (EncryptedKey key : keys) {
            String transport = key.getEncryptionMethod() == null ? null : key.getEncryptionMethod().getAlgorithm();
            if (RSA15.equals(transport) && !allowRsa15) {
                throw new Refused("key transport RSA 1.5 (" + RSA15 + ") is refused for this connection: set the IdP "
                        + "to RSA-OAEP, or allow RSA 1.5 in the connection's encryption settings", null);
            }
            if (transport != null && !RSA15.equals(transport) && !KEY_TRANSPORT_ALGORITHMS.contains(transport)) {
                throw new Refused("key transport " + transport + " is not accepted (RSA-OAEP is)", null);
            }
            if (key.getEncryptionMethod() != null) {
                for (var child : key.getEncryptionMethod().getUnknownXMLObjects()) {
                    String parameter = child instanceof DigestMethod digest ? digest.getAlgorithm()
                            : child instanceof MGF mgf ? mgf.getAlgorithm() : null;
                    if (parameter != null && !OAEP_PARAMETERS.contains(parameter)) {
                        throw new Refused("RSA-OAEP parameter " + parameter + " is not accepted", null);
                    }
                }
            }
        }
    }

    /**
     * One description for every way decryption fails (wrong key, altered ciphertext, broken padding or XML): telling
     * them apart would help an attacker probing the decryption, and an admin learns enough from this one.
     */
    private static Refused failed(String what, Exception ex) {
        return new Refused("the " + what + " could not be decrypted with this connection's SP key"
                + " (it was encrypted for another key, or altered)", ex);
    }
}
