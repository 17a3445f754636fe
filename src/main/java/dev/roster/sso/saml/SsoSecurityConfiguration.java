package dev.roster.sso.saml;

import java.io.IOException;
import java.time.Clock;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.saml2.provider.service.web.authentication.OpenSaml4AuthenticationRequestResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import dev.roster.audit.AuditLog;
import dev.roster.security.SignInStages;
import dev.roster.shared.web.RequestMetrics;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.access.SsoGroups;
import dev.roster.sso.access.SsoLinkCookie;
import dev.roster.sso.access.SsoLinkRequests;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.connection.SsoTestLogins;
import dev.roster.sso.web.SsoLinkController;

/**
 * The SAML endpoints in a filter chain of their own, ahead of the browser chain: AuthnRequests
 * ({@code /saml2/authenticate/{id}}), the ACS ({@code /login/saml2/sso/{id}}), SP metadata
 * ({@code /saml2/metadata/{id}}), and Roster's SSO pages under {@code /sso}. Signing in stores the same session
 * security context as the password sign-in.
 */
@Configuration(proxyBeanMethods = false)
public class SsoSecurityConfiguration {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    SamlSignInProvider samlSignInProvider(DatabaseRelyingPartyRegistrations registrations, AssertionReplayCache replay,
                                          SsoGroups groups, SsoSignIn signIn, SsoLinkRequests links,
                                          SsoTestLogins tests, AuditLog audit,
                                          RefusalAuditBudget refusalBudget, SsoProperties properties,
                                          SignInRefusals refusals, Clock clock) {
        return new SamlSignInProvider(registrations, replay, groups, signIn, links, tests, audit,
                refusalBudget, properties, refusals, clock);
    }

    @Bean
    @Order(5)
    SecurityFilterChain ssoChain(HttpSecurity http, DatabaseRelyingPartyRegistrations registrations,
                                 SamlSignInProvider provider, SecurityContextRepository contexts,
                                 SsoLinkCookie linkCookie, MeterRegistry meters, Clock clock) throws Exception {
        OpenSaml4AuthenticationRequestResolver requests = new OpenSaml4AuthenticationRequestResolver(registrations);
        requests.setClock(clock);
        http.securityMatcher("/saml2/**", "/login/saml2/**", "/logout/saml2/**", "/sso/**")
                .securityContext(context -> context.securityContextRepository(contexts))
                .saml2Login(saml -> saml.relyingPartyRegistrationRepository(registrations)
                        .authenticationManager(new ProviderManager(provider))
                        .authenticationRequestResolver(requests)
                        .loginPage("/sso/login")
                        .successHandler(successHandler(contexts))
                        .failureHandler(failureHandler(linkCookie, meters)))
                .saml2Metadata(metadata -> metadata.metadataUrl(SpUrls.METADATA_PATH + "{registrationId}"))
                .csrf(csrf -> csrf.ignoringRequestMatchers(SpUrls.ACS_PATH + "*", SpUrls.SLO_PATH + "*"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    FilterRegistrationBean<SamlMessageGuard> samlMessageGuard(SsoProperties properties,
                                                              DatabaseRelyingPartyRegistrations registrations,
                                                              SsoConnectionRepository connections) {
        var registration = new FilterRegistrationBean<>(new SamlMessageGuard(properties.maxMessageSize().toBytes(),
                id -> registrations.findByRegistrationId(id) != null,
                id -> connections.ofDeletedOrganization(UUID.fromString(id))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    private static AuthenticationSuccessHandler successHandler(SecurityContextRepository contexts) {
        return new AuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                                Authentication authentication) throws IOException {
                Object session = request.getAttribute(SamlSignInProvider.SESSION_INFO);
                if (session != null) {
                    request.getSession().setAttribute(SamlSignInProvider.SESSION_INFO, session);
                }
                String target;
                if (SignInStages.owesEnrolment(authentication)) {
                    target = "/account/two-factor?required";
                }
                else {
                    DatabaseAuthnRequests.Pending pending = SamlSignInProvider.pending();
                    target = pending != null ? (pending.returnTo() == null ? "/" : pending.returnTo())
                            : LocalPaths.safe(request.getParameter("RelayState")).orElse("/");
                }
                response.sendRedirect(request.getContextPath() + target);
            }
        };
    }

    private static AuthenticationFailureHandler failureHandler(SsoLinkCookie linkCookie, MeterRegistry meters) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException ex) -> {
            if (ex instanceof SsoTestCompleted test) {
                response.sendRedirect(request.getContextPath() + test.resultPath());
                return;
            }
            if (ex instanceof SsoLinkPending link) {
                linkCookie.hold(request, response, link.secret());
                response.sendRedirect(request.getContextPath() + SsoLinkController.PATH);
                return;
            }
            String code = ex instanceof SsoRejection rejection ? rejection.code() : "invalid";
            // Reasons are Roster's refusal codes and Spring Security's SAML error codes: a fixed set.
            RequestMetrics.signInFailure(meters, "saml", ex instanceof SsoRejection ? code
                    : ex instanceof Saml2AuthenticationException saml ? saml.getSaml2Error().getErrorCode() : "other");
            response.sendRedirect(request.getContextPath() + "/sso/error?reason=" + code);
        };
    }
}
