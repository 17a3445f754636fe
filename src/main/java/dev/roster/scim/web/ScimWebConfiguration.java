package dev.roster.scim.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** How SCIM requests reach the controllers: endpoint names in any case, and JSON bodies only. */
@Configuration(proxyBeanMethods = false)
class ScimWebConfiguration implements WebMvcConfigurer {

    /** Ahead of Spring Security, whose SCIM chain and firewall then see the endpoint in its RFC spelling. */
    @Bean
    FilterRegistrationBean<ScimPathFilter> scimPathFilter() {
        var registration = new FilterRegistrationBean<>(new ScimPathFilter());
        registration.setName("scimPathFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ScimMediaTypes()).addPathPatterns(ScimRenderer.BASE_PATH + "/**");
    }
}
