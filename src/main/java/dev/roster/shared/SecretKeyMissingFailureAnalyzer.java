package dev.roster.shared;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to do when Roster refuses to start in production without {@code ROSTER_SECRET_KEY}. */
class SecretKeyMissingFailureAnalyzer extends AbstractFailureAnalyzer<SecretCipher.SecretKeyMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretCipher.SecretKeyMissingException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Set ROSTER_SECRET_KEY to the base64 of 32 random bytes (openssl rand -base64 32), the same on every "
                        + "instance. To run without it anyway (a trial; never with real people's data), set "
                        + "ROSTER_ALLOW_SECRET_KEY_IN_DATABASE=true. See docs/configuration.md.", cause);
    }
}
