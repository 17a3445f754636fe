-- Encrypted assertions (docs/sso.md, "Encrypted assertions").
-- require_encrypted_assertions: a connection that sets it refuses an assertion that did not arrive as an
-- EncryptedAssertion. allow_rsa15_key_transport: RSA PKCS#1 v1.5 key transport (Bleichenbacher-style attacks) is
-- refused unless a connection opts in for an IdP that offers nothing else. sp_next_private_key / sp_next_certificate:
-- the SP key pair of a rollover in progress, published in the SP metadata next to the current one; either decrypts.
-- The private key is encrypted with SecretCipher, as sp_private_key is.
-- One column per statement: H2 (the embedded demo database) does not take several ADD COLUMN clauses in one ALTER.
ALTER TABLE sso_connection ADD COLUMN require_encrypted_assertions BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sso_connection ADD COLUMN allow_rsa15_key_transport BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sso_connection ADD COLUMN sp_next_private_key VARCHAR;
ALTER TABLE sso_connection ADD COLUMN sp_next_certificate VARCHAR;
