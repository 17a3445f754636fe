package dev.roster.scim.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Spring Security puts a filter in front of every chain that looks up the Spring MVC handler of the request and keeps
 * it for the chains' MVC path matchers (Spring MVC then looks it up again to dispatch). The SCIM chain matches by path
 * alone ({@code PathPatternRequestMatcher}) and is the first chain, so for a SCIM request that look-up served nothing,
 * and it was about 5 % of the request's CPU (issue 15, docs/benchmarks.md). This filter takes its place: SCIM requests
 * pass straight on, every other request goes through Spring Security's filter as before.
 */
final class IntrospectorCacheOutsideScim implements Filter {

    private static final Logger log = LoggerFactory.getLogger(IntrospectorCacheOutsideScim.class);
    static final String FILTER_CHAIN = "springSecurityFilterChain";

    private final Filter cache;

    IntrospectorCacheOutsideScim(Filter cache) {
        this.cache = cache;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && ScimSecurityConfiguration.isScim(http)) {
            chain.doFilter(request, response);
            return;
        }
        cache.doFilter(request, response, chain);
    }

    /**
     * Wraps the first filter of Spring Security's composite filter chain (the handler mapping cache) in this one. The
     * composite is a bean definition whose first constructor argument is the list of its filters; if a Spring
     * Security upgrade changes that shape, nothing is changed and a warning says so (SCIM then costs what it did).
     */
    static BeanFactoryPostProcessor installer() {
        return beanFactory -> {
            if (!beanFactory.containsBeanDefinition(FILTER_CHAIN)) {
                return;
            }
            BeanDefinition chain = beanFactory.getBeanDefinition(FILTER_CHAIN);
            ConstructorArgumentValues.ValueHolder filters = chain.getConstructorArgumentValues()
                    .getIndexedArgumentValue(0, null);
            if (chain.getBeanClassName() == null || !chain.getBeanClassName().endsWith("CompositeFilterChainProxy")
                    || filters == null || !(filters.getValue() instanceof List<?> list) || list.size() != 2
                    || !(list.get(0) instanceof BeanDefinition cacheFilter)
                    || cacheFilter.getBeanClassName() == null
                    || !cacheFilter.getBeanClassName().contains("HandlerMappingIntrospectorCach")) {
                log.warn("Spring Security's filter chain is not shaped as expected; SCIM requests keep its handler "
                        + "mapping cache filter");
                return;
            }
            RootBeanDefinition wrapper = new RootBeanDefinition(IntrospectorCacheOutsideScim.class);
            wrapper.getConstructorArgumentValues().addIndexedArgumentValue(0, cacheFilter);
            @SuppressWarnings("unchecked")
            List<Object> replaced = (List<Object>) list;
            replaced.set(0, wrapper);
        };
    }
}
