package dev.roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.roster.test.WebhookReceiver;

/** Roster's signatures against the Standard Webhooks test vector and the algorithm written out independently. */
class WebhookSignerTest {

    // The test vector of the Standard Webhooks reference libraries.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheSpecificationsTestVector() {
        assertThat(WebhookSigner.signature(List.of(SECRET), ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
        assertThat("v1," + WebhookReceiver.sign(SECRET, ID, Long.toString(TIMESTAMP), BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void twoSecretsGiveTwoSignaturesSeparatedByASpace() {
        String other = WebhookSigner.newSecret();
        String header = WebhookSigner.signature(List.of(other, SECRET), ID, TIMESTAMP, BODY);
        assertThat(header.split(" ")).containsExactly("v1," + WebhookReceiver.sign(other, ID, "1614265330", BODY),
                EXPECTED);
    }

    @Test
    void newSecretsAreWhsecAndThirtyTwoRandomBytes() {
        String secret = WebhookSigner.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSigner.newSecret()).isNotEqualTo(secret);
    }
}
