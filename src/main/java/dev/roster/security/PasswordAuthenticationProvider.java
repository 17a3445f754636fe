package dev.roster.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.shared.RosterUser;

/**
 * Email and password. The stage the result grants (full, or second factor owed) is decided afterwards by
 * {@link SignInStages}. Failed attempts are counted per address and per client ({@link SignInThrottle}); past the
 * limit, sign-in is refused before anything else is looked at. An unknown address and a wrong password take the same
 * steps (a look-up of the password hash and one bcrypt comparison) and give the same answer.
 */
class PasswordAuthenticationProvider implements AuthenticationProvider {

    /** No account has it: the hash look-up for an unknown address finds nothing, as for a real one without a password. */
    private static final UUID UNKNOWN = new UUID(0, 0);

    // Compared against when the account does not exist, so an unknown email costs as much time as a wrong password.
    private final String dummyHash;
    private final AccountService accounts;
    private final PasswordEncoder encoder;
    private final SignInStages stages;
    private final List<PasswordSignInPolicy> policies;
    private final SignInThrottle throttle;

    PasswordAuthenticationProvider(AccountService accounts, PasswordEncoder encoder, SignInStages stages,
                                   List<PasswordSignInPolicy> policies, SignInThrottle throttle) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.stages = stages;
        this.policies = List.copyOf(policies);
        this.throttle = throttle;
        this.dummyHash = encoder.encode("not a real password, only here to spend time");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String client = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        Optional<Duration> throttled = throttle.refusedFor(email, client);
        if (throttled.isPresent()) {
            throw new SignInThrottledException(throttled.get());
        }
        // A policy's refusal (SSO enforced for the address) is answered only after the password was checked: an
        // account it exempts (an admin's break-glass) goes on to its second factor, and every other attempt gets the
        // same refusal, right password or wrong, so the answer never tells who is exempt.
        Optional<String> elsewhere = policies.stream().map(policy -> policy.refuse(email)).flatMap(Optional::stream)
                .findFirst();
        Account account = accounts.findByEmail(email).orElse(null);
        boolean matches;
        if (account == null || !account.hasPassword()) {
            // The same look-up and comparison as for a real account, so neither the answer nor its time tells.
            accounts.passwordMatches(account == null ? UNKNOWN : account.id(), password);
            encoder.matches(password, dummyHash);
            matches = false;
        }
        else {
            matches = accounts.passwordMatches(account.id(), password);
        }
        if (!matches) {
            throttle.failed(email, client);
            if (elsewhere.isPresent()) {
                throw new PasswordSignInRefusedException(elsewhere.get());
            }
            throw new BadCredentialsException("bad credentials");
        }
        if (elsewhere.isPresent() && !exempt(account)) {
            throw new PasswordSignInRefusedException(elsewhere.get());
        }
        throttle.succeeded(email);
        RosterUser user = new RosterUser(account.id(), account.email());
        return UsernamePasswordAuthenticationToken.authenticated(user, null, stages.afterPassword(user));
    }

    /** Every policy that refuses the address exempts this account. */
    private boolean exempt(Account account) {
        return policies.stream().filter(policy -> policy.refuse(account.email()).isPresent())
                .allMatch(policy -> policy.exempts(account.id(), account.email()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
