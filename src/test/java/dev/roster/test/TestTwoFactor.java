package dev.roster.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;

/**
 * An authenticator app for tests: computes TOTP codes from a secret with the same {@code dev.samstevens.totp} library
 * Roster uses, at the time of the application's clock.
 */
public final class TestTwoFactor {

    private static final CodeGenerator CODES = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);

    private TestTwoFactor() {
    }

    public record Enrolled(String secret, List<String> recoveryCodes) {
    }

    /** Turns two-factor on for the token's account through the API, as a script would. */
    public static Enrolled enrol(TestApi api, String token, Clock clock) {
        TestApi.Response begun = api.post(token, "/api/v1/me/two-factor", null);
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        String secret = begun.json().path("secret").asText();
        TestApi.Response confirmed = api.post(token, "/api/v1/me/two-factor/confirm",
                Map.of("code", code(secret, clock)));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        List<String> recovery = new ArrayList<>();
        confirmed.json().path("recoveryCodes").forEach(node -> recovery.add(node.asText()));
        return new Enrolled(secret, recovery);
    }

    /** The code the app shows now. */
    public static String code(String secret, Clock clock) {
        return at(secret, clock.instant().getEpochSecond() / 30);
    }

    /**
     * Moves the clock on by one 30-second step and answers that step's code, which therefore has not been used yet
     * (Roster refuses a code from a step at or before the last one accepted).
     */
    public static String nextCode(String secret, MutableClock clock) {
        clock.advance(Duration.ofSeconds(30));
        return code(secret, clock);
    }

    /** Six digits that are not the code of the current step or of either step next to it. */
    public static String wrongCode(String secret, Clock clock) {
        long step = clock.instant().getEpochSecond() / 30;
        List<String> valid = List.of(at(secret, step - 1), at(secret, step), at(secret, step + 1));
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", (Integer.parseInt(valid.get(1)) + 1 + candidate) % 1_000_000);
            if (!valid.contains(code)) {
                return code;
            }
        }
    }

    private static String at(String secret, long step) {
        try {
            return CODES.generate(secret, step);
        }
        catch (CodeGenerationException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
