package dev.roster.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.roster.shared.SecretToken;

/**
 * {@code ROSTER_OPERATOR_TOKEN}: the bearer secret of whoever runs Roster for many customers. Hashed when Roster
 * starts; only the SHA-256 hash is kept, and a presented token is hashed and compared in constant time, so neither a
 * heap dump of this bean nor the response timing gives the token away. Unset: there is no operator, and the operator
 * API answers 401 or 403 to everyone.
 */
@Component
class OperatorToken {

    static final int MIN_LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(OperatorToken.class);

    private final byte[] hash;

    OperatorToken(@Value("${roster.operator.token:}") String token) {
        if (token == null || token.isBlank()) {
            this.hash = null;
            return;
        }
        String value = token.strip();
        if (value.length() < MIN_LENGTH || value.length() > 512 || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalStateException("ROSTER_OPERATOR_TOKEN must be " + MIN_LENGTH + " to 512 printable "
                    + "characters without spaces; generate one with: openssl rand -hex 32");
        }
        this.hash = digest(value);
        log.info("The operator API is enabled (ROSTER_OPERATOR_TOKEN is set)");
    }

    boolean matches(String presented) {
        if (hash == null || presented == null || presented.length() > 512) {
            return false;
        }
        return MessageDigest.isEqual(hash, digest(presented));
    }

    private static byte[] digest(String value) {
        return SecretToken.sha256Hex(value).getBytes(StandardCharsets.US_ASCII);
    }
}
