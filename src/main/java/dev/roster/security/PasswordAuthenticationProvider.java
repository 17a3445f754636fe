package dev.roster.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.shared.RosterUser;

/**
 * Email and password. The stage the result grants (full, or second factor owed) is decided afterwards by
 * {@link SignInStages}.
 */
class PasswordAuthenticationProvider implements AuthenticationProvider {

    // Compared against when the account does not exist, so an unknown email costs as much time as a wrong password.
    private final String dummyHash;
    private final AccountService accounts;
    private final PasswordEncoder encoder;
    private final SignInStages stages;
    private final List<PasswordSignInPolicy> policies;

    PasswordAuthenticationProvider(AccountService accounts, PasswordEncoder encoder, SignInStages stages,
                                   List<PasswordSignInPolicy> policies) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.stages = stages;
        this.policies = List.copyOf(policies);
        this.dummyHash = encoder.encode("not a real password, only here to spend time");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        for (PasswordSignInPolicy policy : policies) {
            Optional<String> elsewhere = policy.refuse(email);
            if (elsewhere.isPresent()) {
                throw new PasswordSignInRefusedException(elsewhere.get());
            }
        }
        Account account = accounts.findByEmail(email).orElse(null);
        if (account == null || !account.hasPassword()) {
            encoder.matches(password, dummyHash);
            throw new BadCredentialsException("bad credentials");
        }
        if (!accounts.passwordMatches(account.id(), password)) {
            throw new BadCredentialsException("bad credentials");
        }
        RosterUser user = new RosterUser(account.id(), account.email());
        return UsernamePasswordAuthenticationToken.authenticated(user, null, stages.afterPassword(user));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
