package dev.roster.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailAddressTest {

    @Test
    void aLocalPartIsAtMost64Characters() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.com")).isPresent();
        assertThat(EmailAddress.parse("a".repeat(65) + "@example.com")).as("RFC 5321: 64 octets at most").isEmpty();
        assertThat(EmailAddress.isValid("b".repeat(100) + "@example.com")).isFalse();
    }

    @Test
    void ordinaryAddressesStayValid() {
        assertThat(EmailAddress.parse(" Ada.Lovelace+roster@example.co.uk ")).map(EmailAddress::normalized)
                .hasValue("ada.lovelace+roster@example.co.uk");
        assertThat(EmailAddress.parse("no-at-sign.example.com")).isEmpty();
        assertThat(EmailAddress.parse("two..dots@example.com")).isEmpty();
    }
}
