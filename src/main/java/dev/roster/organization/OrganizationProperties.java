package dev.roster.organization;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention how long a deleted organization is kept (restorable, its slug reserved) before its data is purged
 */
@ConfigurationProperties("roster.orgs")
public record OrganizationProperties(@DefaultValue("30d") Duration retention) {

    public OrganizationProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("roster.orgs.retention must be positive");
        }
    }
}
