package dev.roster.sso.saml;

/**
 * A connection's settings for encrypted assertions, and the SP key pair of a key rollover in progress (both halves
 * null when none is). {@code nextPrivateKey} is held encrypted exactly as stored, like the current SP key.
 *
 * @param required           an assertion that did not arrive as an EncryptedAssertion is refused
 * @param allowRsa15         RSA PKCS#1 v1.5 key transport is accepted (off unless an IdP offers nothing better:
 *                           it is open to Bleichenbacher-style attacks)
 * @param nextPrivateKey     the next SP private key, encrypted with SecretCipher
 * @param nextCertificate    the next SP certificate (PEM)
 */
record AssertionEncryption(boolean required, boolean allowRsa15, String nextPrivateKey, String nextCertificate) {

    static final AssertionEncryption DEFAULTS = new AssertionEncryption(false, false, null, null);

    boolean rolloverInProgress() {
        return nextCertificate != null;
    }
}
