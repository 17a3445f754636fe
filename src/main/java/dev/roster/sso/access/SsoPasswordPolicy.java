package dev.roster.sso.access;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.security.PasswordSignInPolicy;
import dev.roster.shared.EmailAddress;
import dev.roster.sso.SsoRouting;

/**
 * Refuses password sign-in for addresses in a domain whose organization enforces SSO, and points at the IdP; exempts
 * that organization's admins with a second factor while it keeps the break-glass ({@link SsoBreakGlass}).
 */
@Component
class SsoPasswordPolicy implements PasswordSignInPolicy {

    private final SsoRouting routing;
    private final SsoBreakGlass breakGlass;

    SsoPasswordPolicy(SsoRouting routing, SsoBreakGlass breakGlass) {
        this.routing = routing;
        this.breakGlass = breakGlass;
    }

    @Override
    public Optional<String> refuse(String email) {
        return EmailAddress.parse(email).flatMap(routing::connectionEnforcing)
                .map(target -> "/sso/login?required&email=" + URLEncoder.encode(email.trim(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean exempts(UUID accountId, String email) {
        return EmailAddress.parse(email).flatMap(routing::connectionEnforcing)
                .map(target -> breakGlass.exempts(target.organizationId(), accountId))
                .orElse(false);
    }
}
