package dev.roster.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.roster.membership.MemberReads;
import dev.roster.shared.web.RequestSizeLimitFilter;
import dev.roster.twofactor.TwoFactorService;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final MemberReads members;
    private final TwoFactorService twoFactor;

    WebConfiguration(MemberReads members, TwoFactorService twoFactor) {
        this.members = members;
        this.twoFactor = twoFactor;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // SCIM paths have no {slug}, and their own chain admits only a directory's token: the interceptor would find
        // nothing to check there on every request of a directory's sync (issue 15).
        registry.addInterceptor(new OrgAccessInterceptor(members, twoFactor))
                .excludePathPatterns("/scim/v2", "/scim/v2/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new OrgContextArgumentResolver());
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> apiRequestSizeLimit(ApiLimits limits) {
        String body = "{\"type\":\"urn:roster:problem:too-large\",\"title\":\"Payload Too Large\",\"status\":413,"
                + "\"detail\":\"The request body is larger than " + limits.maxBodySize().toKilobytes() + " KB.\"}";
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter("/api/",
                limits.maxBodySize().toBytes(), MediaType.APPLICATION_PROBLEM_JSON, body));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** @param maxBodySize the largest JSON body the admin API reads */
    @ConfigurationProperties("roster.api")
    record ApiLimits(@DefaultValue("1MB") DataSize maxBodySize) {
    }
}
