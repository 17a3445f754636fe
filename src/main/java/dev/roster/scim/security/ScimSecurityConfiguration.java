package dev.roster.scim.security;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import dev.roster.scim.ScimProperties;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.database.DatabaseSettings;
import dev.roster.shared.web.RequestSizeLimitFilter;

/**
 * The SCIM filter chain, ahead of the API chain: stateless, no CSRF (no cookie is honoured), a directory bearer
 * token on every request, then the request log and the per-directory rate limit. Bodies over the cap are refused
 * with 413 before they are read.
 */
@Configuration(proxyBeanMethods = false)
class ScimSecurityConfiguration {

    @Bean
    @Order(0)
    SecurityFilterChain scimChain(HttpSecurity http, ScimDirectoryService directories, RequestLogService requestLog,
                                  ScimRateLimiter limiter, ScimProperties properties, DatabaseSettings database,
                                  Clock clock) throws Exception {
        ScimErrorWriter errors = new ScimErrorWriter();
        ScimTokenFilter tokens = new ScimTokenFilter(directories, database.retryAfterSeconds(), limiter);
        ScimRequestLogFilter logging = new ScimRequestLogFilter(requestLog, properties, clock,
                database.retryAfterSeconds());
        // By path, not by Spring MVC's handler: the chain needs no handler look-up (IntrospectorCacheOutsideScim).
        http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher("/scim/v2/**"))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .addFilterBefore(tokens, AnonymousAuthenticationFilter.class)
                .addFilterAfter(logging, ScimTokenFilter.class)
                .addFilterAfter(new ScimRateLimitFilter(limiter), ScimRequestLogFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(errors))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().hasAuthority(ScimAuthentication.AUTHORITY));
        return http.build();
    }

    /** See {@link IntrospectorCacheOutsideScim}: static, as a bean factory post-processor must be. */
    @Bean
    static BeanFactoryPostProcessor scimRequestsSkipTheHandlerMappingCache() {
        return IntrospectorCacheOutsideScim.installer();
    }

    /**
     * No {@code http.server.requests} observation for SCIM requests: {@code roster.http.requests} already times each
     * of them (channel {@code scim}, status, directory), and starting, stopping and recording a second timer was
     * about 6 % of a SCIM request's CPU (docs/benchmarks.md, issue 15). Every other channel keeps both.
     */
    @Bean
    ObservationPredicate noSecondTimerForScimRequests() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isScim(server.getCarrier()));
    }

    static boolean isScim(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/scim/v2/") || path.equals("/scim/v2");
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> scimRequestSizeLimit(ScimProperties properties) {
        String body = ScimJson.errorBody(413, null, "The request body is larger than "
                + properties.maxBodySize().toKilobytes() + " KB.");
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter("/scim/",
                properties.maxBodySize().toBytes(), ScimJson.MEDIA_TYPE, body));
        registration.setName("scimRequestSizeLimit");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
