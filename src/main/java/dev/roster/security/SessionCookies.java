package dev.roster.security;

import org.springframework.boot.autoconfigure.session.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roster.shared.RosterProperties;

/**
 * The session cookie is {@code Secure} whenever people reach Roster over HTTPS ({@code roster.base-url}), whatever
 * {@code ROSTER_SECURE_COOKIES} says: behind a TLS-terminating proxy the request Roster sees is plain HTTP, so the
 * request cannot tell, and a session cookie sent in the clear once is a session anyone on the path can take.
 */
@Configuration(proxyBeanMethods = false)
class SessionCookies {

    @Bean
    DefaultCookieSerializerCustomizer secureSessionCookieOnHttps(RosterProperties roster) {
        return serializer -> {
            if (roster.https()) {
                serializer.setUseSecureCookie(true);
            }
        };
    }
}
