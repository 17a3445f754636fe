package dev.roster.security;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.shared.web.RequestMetrics;

/**
 * Three filter chains: the JSON API (bearer tokens, no session, no CSRF because no cookie is honoured), the API
 * documentation, and the browser UI (form sign-in with a second factor, sessions in the database, CSRF, strict CSP).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final String SIGN_OUT_CONTINUATION = SignOutContinuation.class.getName();

    /**
     * No Micrometer observation around each filter of each chain: with actuator's registry present, Spring Security
     * otherwise starts, stops and records an observation per filter per request, about a tenth of the CPU of a SCIM
     * request (docs/benchmarks.md). The per-request HTTP metrics (http.server.requests) are kept.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Why a password sign-in failed, for roster.sign_in.failures: a fixed set of words. */
    static String passwordFailure(AuthenticationException ex) {
        if (ex instanceof PasswordSignInRefusedException) {
            return "sso_required";
        }
        if (ex instanceof SignInThrottledException) {
            return "throttled";
        }
        if (ex instanceof BadCredentialsException) {
            return "bad_credentials";
        }
        if (ex instanceof DisabledException || ex instanceof LockedException) {
            return "disabled";
        }
        return "other";
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    RequestCache requestCache() {
        return new HttpSessionRequestCache();
    }

    @Bean
    ApiAuthenticationEntryPoint apiAuthenticationEntryPoint(ObjectMapper json) {
        return new ApiAuthenticationEntryPoint(json);
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokenService tokens, OperatorToken operator,
                                 ApiAuthenticationEntryPoint entryPoint) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, operator, entryPoint),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(entryPoint).accessDeniedHandler(entryPoint))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/api/v1/public/**").permitAll()
                        // The operator API: the operator token only (OperatorAccess says the same on the handlers).
                        .requestMatchers(HttpMethod.GET, "/api/v1/orgs", "/api/v1/orgs/").hasAuthority(RosterAuthorities.OPERATOR)
                        .requestMatchers(HttpMethod.POST, "/api/v1/orgs", "/api/v1/orgs/", "/api/v1/orgs/*/restore",
                                "/api/v1/orgs/*/admin-invitations")
                        .hasAuthority(RosterAuthorities.OPERATOR)
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/orgs/*").hasAuthority(RosterAuthorities.OPERATOR)
                        // An organization's settings: its admins, and the operator.
                        .requestMatchers(HttpMethod.GET, "/api/v1/orgs/*").hasAnyAuthority(RosterAuthorities.USER,
                                RosterAuthorities.OPERATOR)
                        .requestMatchers(HttpMethod.PATCH, "/api/v1/orgs/*").hasAnyAuthority(RosterAuthorities.USER,
                                RosterAuthorities.OPERATOR)
                        .anyRequest().hasAuthority(RosterAuthorities.USER));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain documentationChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html",
                        "/actuator/health", "/actuator/health/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                + "frame-ancestors 'none'")))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(10)
    SecurityFilterChain browserChain(HttpSecurity http, AccountService accounts, PasswordEncoder encoder,
                                     SignInStages stages, SecurityContextRepository contexts, RequestCache requests,
                                     ObjectProvider<PasswordSignInPolicy> passwordPolicies,
                                     ObjectProvider<SignOutContinuation> signOutContinuations,
                                     SignInThrottle throttle, MeterRegistry meters) throws Exception {
        AuthenticationManager passwordSignIn = new ProviderManager(new PasswordAuthenticationProvider(accounts, encoder,
                stages, passwordPolicies.orderedStream().toList(), throttle));
        SimpleUrlAuthenticationFailureHandler wrongPassword = new SimpleUrlAuthenticationFailureHandler("/login?error");
        http.securityContext(context -> context.securityContextRepository(contexts))
                .requestCache(cache -> cache.requestCache(requests))
                .authenticationManager(passwordSignIn)
                .formLogin(form -> form.loginPage("/login").usernameParameter("email").passwordParameter("password")
                        .successHandler(new SignInSuccessHandler())
                        .failureHandler((request, response, ex) -> {
                            RequestMetrics.signInFailure(meters, "password", passwordFailure(ex));
                            if (ex instanceof PasswordSignInRefusedException refused) {
                                response.sendRedirect(request.getContextPath() + refused.redirectTo());
                            }
                            else if (ex instanceof SignInThrottledException) {
                                response.sendRedirect(request.getContextPath() + "/login?throttled");
                            }
                            else {
                                wrongPassword.onAuthenticationFailure(request, response, ex);
                            }
                        })
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/logout")
                        // Asked before the session is cleared; a continuation (an IdP's single logout) goes next.
                        .addLogoutHandler((request, response, authentication) -> signOutContinuations.orderedStream()
                                .map(continuation -> continuation.continueAt(request)).flatMap(Optional::stream)
                                .findFirst().ifPresent(url -> request.setAttribute(SIGN_OUT_CONTINUATION, url)))
                        .logoutSuccessHandler((request, response, authentication) -> {
                            if (request.getAttribute(SIGN_OUT_CONTINUATION) instanceof String url) {
                                SignOutContinuationPage.write(request, response, url);
                            }
                            else {
                                response.sendRedirect(request.getContextPath() + "/login?signedOut");
                            }
                        }))
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                new AntPathRequestMatcher("/actuator/**"))
                        .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                        .accessDeniedHandler(new SignInStageAccessDeniedHandler(requests)))
                .addFilterAfter(new SignInStageRefreshFilter(stages, contexts), AnonymousAuthenticationFilter.class)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/images/**", "/favicon.ico", "/error",
                                "/invitations/**", "/password-reset", "/password-reset/**").permitAll()
                        .requestMatchers("/login/two-factor").hasAuthority(RosterAuthorities.TWO_FACTOR_PENDING)
                        .requestMatchers("/account/two-factor", "/account/two-factor/**")
                        .hasAnyAuthority(RosterAuthorities.USER, RosterAuthorities.TWO_FACTOR_ENROLMENT)
                        .anyRequest().hasAuthority(RosterAuthorities.USER));
        return http.build();
    }
}
