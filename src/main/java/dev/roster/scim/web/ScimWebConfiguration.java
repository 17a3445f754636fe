package dev.roster.scim.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * How SCIM requests reach the controllers: endpoint names in any case, the resource endpoints served without Spring
 * MVC's dispatch, and JSON bodies only.
 */
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

    /**
     * After Spring Security's filter (and so the SCIM chain's token, request log and rate limit), where the
     * DispatcherServlet would come next: the resource endpoints are served here, everything else goes on to it.
     */
    @Bean
    FilterRegistrationBean<ScimResourceDispatch> scimResourceDispatch(
            ObjectProvider<ScimResourcesController> controller, ObjectProvider<HandlerExceptionResolver> resolvers) {
        var registration = new FilterRegistrationBean<>(new ScimResourceDispatch(controller, resolvers));
        registration.setName("scimResourceDispatch");
        registration.addUrlPatterns(ScimRenderer.BASE_PATH + "/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ScimMediaTypes()).addPathPatterns(ScimRenderer.BASE_PATH + "/**");
    }
}
