package dev.roster.invitation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl             how long an invitation link works; resending starts it again
 * @param maxPerRequest   the most addresses one request may invite, so a single request stays a reasonable
 *                        transaction
 */
@ConfigurationProperties("roster.invitations")
public record InvitationProperties(@DefaultValue("7d") Duration ttl, @DefaultValue("1000") int maxPerRequest) {

    public InvitationProperties {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("roster.invitations.ttl must be positive");
        }
    }
}
