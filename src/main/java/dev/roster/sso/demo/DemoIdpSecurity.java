package dev.roster.sso.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.roster.sso.saml.SsoSecurityConfiguration;

/** DEMO ONLY (profile {@code demo}): the mock IdPs' pages are open, as an IdP's sign-in page is. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoIdpSecurity {

    @Bean
    @Order(4)
    SecurityFilterChain demoIdpChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/demo-idp", "/demo-idp/**")
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        SsoSecurityConfiguration.CONTENT_SECURITY_POLICY)))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll());
        return http.build();
    }
}
