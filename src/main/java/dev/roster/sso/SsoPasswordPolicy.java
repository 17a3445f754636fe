package dev.roster.sso;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.roster.security.PasswordSignInPolicy;
import dev.roster.shared.EmailAddress;

/** Refuses password sign-in for addresses in a domain whose organization enforces SSO, and points at the IdP. */
@Component
class SsoPasswordPolicy implements PasswordSignInPolicy {

    private final SsoRouting routing;

    SsoPasswordPolicy(SsoRouting routing) {
        this.routing = routing;
    }

    @Override
    public Optional<String> refuse(String email) {
        return EmailAddress.parse(email).flatMap(routing::connectionEnforcing)
                .map(target -> "/sso/login?required&email=" + URLEncoder.encode(email.trim(), StandardCharsets.UTF_8));
    }
}
