package dev.roster.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /actuator/prometheus} answers only a scraper that sends {@code Authorization: Bearer <ROSTER_METRICS_TOKEN>}.
 * Metrics name directories and connections by id and show traffic, so they are not public; without a configured
 * token the endpoint is 404 for everyone (docs/operations.md, "Metrics").
 */
@Configuration(proxyBeanMethods = false)
class MetricsEndpointSecurity {

    static final String AUTHORITY = "METRICS_SCRAPER";

    @Bean
    @Order(3)
    SecurityFilterChain metricsChain(HttpSecurity http, MetricsProperties properties) throws Exception {
        http.securityMatcher("/actuator/prometheus", "/actuator/prometheus/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .addFilterBefore(new ScraperTokenFilter(properties), AnonymousAuthenticationFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint((request, response, failure) ->
                        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED)))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().hasAuthority(AUTHORITY));
        return http.build();
    }

    /** Checks the bearer token in constant time (digests of equal length compared with MessageDigest.isEqual). */
    static final class ScraperTokenFilter extends OncePerRequestFilter {

        private final byte[] expected;

        ScraperTokenFilter(MetricsProperties properties) {
            this.expected = properties.enabled() ? digest(properties.token().trim()) : null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (expected == null) {
                response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                    || !MessageDigest.isEqual(expected, digest(header.substring(7).trim()))) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"roster-metrics\"");
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("metrics-scraper", null,
                    List.of(new SimpleGrantedAuthority(AUTHORITY))));
            SecurityContextHolder.setContext(context);
            try {
                chain.doFilter(request, response);
            }
            finally {
                SecurityContextHolder.clearContext();
            }
        }

        private static byte[] digest(String value) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
