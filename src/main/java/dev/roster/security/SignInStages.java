package dev.roster.security;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.stereotype.Component;

import dev.roster.membership.MemberReads;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/**
 * Decides what a person who has just proven one factor may do next: everything, enter their second factor, or
 * enrol in two-factor because an organization they belong to requires it.
 */
@Component
public class SignInStages {

    private final TwoFactorService twoFactor;
    private final MemberReads members;

    SignInStages(TwoFactorService twoFactor, MemberReads members) {
        this.twoFactor = twoFactor;
        this.members = members;
    }

    List<GrantedAuthority> afterPassword(RosterUser user) {
        if (twoFactor.isEnrolled(user.accountId())) {
            return RosterAuthorities.of(RosterAuthorities.TWO_FACTOR_PENDING);
        }
        return afterSecondFactor(user);
    }

    /** Also used after single sign-on, where the identity provider is responsible for the factors it asks for. */
    public List<GrantedAuthority> afterSecondFactor(RosterUser user) {
        boolean required = members.activeOrganizations(user.accountId()).stream()
                .anyMatch(org -> org.requireTwoFactor());
        if (required && !twoFactor.isEnrolled(user.accountId())) {
            return RosterAuthorities.of(RosterAuthorities.TWO_FACTOR_ENROLMENT);
        }
        return RosterAuthorities.of(RosterAuthorities.USER);
    }

    /** Whether the authentication holds its owner at two-factor enrolment (an organization requires it). */
    public static boolean owesEnrolment(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .anyMatch(a -> RosterAuthorities.TWO_FACTOR_ENROLMENT.equals(a.getAuthority()));
    }

    /** A fully signed-in authentication for the given person. */
    public Authentication fullySignedIn(RosterUser user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, RosterAuthorities.of(RosterAuthorities.USER));
    }
}
