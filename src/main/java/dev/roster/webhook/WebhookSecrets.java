package dev.roster.webhook;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.shared.SecretCipher;

/** An endpoint's signing secrets, stored encrypted; the previous one counts until its overlap ends. */
@Component
class WebhookSecrets {

    private final WebhookRepository repository;
    private final SecretCipher cipher;
    private final Clock clock;

    WebhookSecrets(WebhookRepository repository, SecretCipher cipher, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
    }

    String encrypt(String secret) {
        return cipher.encrypt(secret);
    }

    String decrypt(String stored) {
        return cipher.decrypt(stored);
    }

    /** The secrets that sign now: the current one, and the previous one during the overlap after a rotation. */
    List<String> signing(UUID endpointId) {
        WebhookRepository.Secrets stored = repository.secrets(endpointId);
        List<String> secrets = new ArrayList<>(2);
        secrets.add(cipher.decrypt(stored.current()));
        if (stored.previous() != null && stored.previousUntil() != null
                && stored.previousUntil().isAfter(clock.instant())) {
            secrets.add(cipher.decrypt(stored.previous()));
        }
        return secrets;
    }
}
