package dev.roster.webhook;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * Signatures as the Standard Webhooks specification defines them, by its Java library
 * ({@code com.standardwebhooks:standardwebhooks}; see docs/decisions/0005): {@code v1,} and the base64 HMAC-SHA256,
 * under the secret's base64-decoded bytes, of {@code <webhook-id>.<webhook-timestamp>.<body>}. Several secrets (the
 * new and the previous one, during a rotation's overlap) give several signatures, separated by spaces.
 */
final class WebhookSigner {

    static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header: one signature per secret, newest first. */
    static String signature(List<String> secrets, String messageId, long timestampSeconds, String body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            try {
                if (!header.isEmpty()) {
                    header.append(' ');
                }
                header.append(new Webhook(secret).sign(messageId, timestampSeconds, body));
            }
            catch (WebhookSigningException | EmptyWebhookSecretException ex) {
                throw new IllegalStateException("cannot sign a webhook: " + ex.getMessage(), ex);
            }
        }
        return header.toString();
    }
}
