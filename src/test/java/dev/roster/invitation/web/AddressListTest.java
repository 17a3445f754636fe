package dev.roster.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressListTest {

    @Test
    void splitsOnCommasSemicolonsSpacesAndNewLines() {
        assertThat(AddressList.parse("a@x.test, b@x.test;c@x.test\nd@x.test\r\ne@x.test  f@x.test\t g@x.test"))
                .containsExactly("a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "f@x.test", "g@x.test");
    }

    @Test
    void takesTheAddressOutOfNameAndAngleBrackets() {
        assertThat(AddressList.parse("Jane Doe <jane@x.test>; \"Bob, the builder\" <bob@x.test>, carl@x.test"))
                .containsExactly("jane@x.test", "bob@x.test", "carl@x.test");
    }

    @Test
    void keepsWhatIsNotAnAddressSoTheResultCanSaySo() {
        assertThat(AddressList.parse("not-an-address, ,\n\n")).containsExactly("not-an-address");
        assertThat(AddressList.parse("")).isEmpty();
        assertThat(AddressList.parse(null)).isEmpty();
    }
}
