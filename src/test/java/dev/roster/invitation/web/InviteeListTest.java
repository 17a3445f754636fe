package dev.roster.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.roster.invitation.Invitee;

class InviteeListTest {

    @Test
    void aLineWithOneAddressAndMoreCarriesItsOwnTeams() {
        assertThat(InviteeList.parse("ann@x.test, Platform; Data\nbob@x.test\ncy@x.test\tData; \"R&D, West\"\n"
                + "dee@x.test; Support\nJane Doe <jane@x.test>, Platform, Data\n\"Doe, Eve\" <eve@x.test>, Data"))
                .containsExactly(new Invitee("ann@x.test", java.util.List.of("Platform", "Data")),
                        new Invitee("bob@x.test", null),
                        new Invitee("cy@x.test", java.util.List.of("Data", "R&D, West")),
                        new Invitee("dee@x.test", java.util.List.of("Support")),
                        new Invitee("jane@x.test", java.util.List.of("Platform", "Data")),
                        new Invitee("eve@x.test", java.util.List.of("Data")));
    }

    @Test
    void aLineOfSeveralAddressesIsAListForTheFormsTeamsAsBefore() {
        assertThat(InviteeList.parse("a@x.test, b@x.test;c@x.test\nd@x.test  e@x.test\n"
                + "Bob Builder <f@x.test>; not-an-address, g@x.test\n\"Doe, Jane\" <h@x.test>, i@x.test"))
                .extracting(Invitee::email)
                .containsExactly("a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "f@x.test",
                        "not-an-address", "g@x.test", "h@x.test", "i@x.test");
        assertThat(InviteeList.parse("a@x.test, b@x.test\nc@x.test,  ,")).extracting(Invitee::teams)
                .containsOnlyNulls();
    }

    @Test
    void keepsWhatIsNotAnAddressSoTheResultCanSaySo() {
        assertThat(InviteeList.parse("not-an-address, Platform")).containsExactly(
                new Invitee("not-an-address", java.util.List.of("Platform")));
        assertThat(InviteeList.parse("\n \n")).isEmpty();
        assertThat(InviteeList.parse(null)).isEmpty();
    }
}
