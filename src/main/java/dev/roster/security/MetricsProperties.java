package dev.roster.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the bearer token a Prometheus scraper sends to {@code /actuator/prometheus}
 *              ({@code ROSTER_METRICS_TOKEN}); without one the endpoint answers 404 to everyone
 */
@ConfigurationProperties("roster.metrics")
public record MetricsProperties(String token) {

    boolean enabled() {
        return token != null && !token.isBlank();
    }
}
