package dev.roster.security;

import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The stages of sign-in, as authorities. Only {@link #USER} reaches the product. */
final class RosterAuthorities {

    /** Fully signed in. */
    static final String USER = "ROSTER_USER";
    /** Password accepted; the second factor is still owed. */
    static final String TWO_FACTOR_PENDING = "ROSTER_TWO_FACTOR_PENDING";
    /** Signed in, but an organization requires two-factor and the account has not enrolled. */
    static final String TWO_FACTOR_ENROLMENT = "ROSTER_TWO_FACTOR_ENROLMENT";
    /** The operator token: the operator API and nothing else. */
    static final String OPERATOR = "ROSTER_OPERATOR";

    private RosterAuthorities() {
    }

    static List<GrantedAuthority> of(String authority) {
        return List.of(new SimpleGrantedAuthority(authority));
    }
}
