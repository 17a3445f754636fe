package dev.roster.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Password reset links (documented in docs/configuration.md).
 *
 * @param ttl     how long a link works
 * @param perHour how many links one account is sent in an hour; requests beyond it are answered the same way and send
 *                nothing, so nobody can fill a person's inbox
 */
@ConfigurationProperties("roster.password-reset")
record PasswordResetProperties(@DefaultValue("1h") Duration ttl, @DefaultValue("3") int perHour) {
}
