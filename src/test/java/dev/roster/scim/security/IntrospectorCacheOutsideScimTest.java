package dev.roster.scim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.Filter;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.roster.test.RosterIntegrationTest;

/**
 * SCIM requests skip Spring Security's handler-mapping cache filter, which served nothing for them (issue 15); every
 * other request still goes through it.
 */
@RosterIntegrationTest
class IntrospectorCacheOutsideScimTest {

    @Autowired
    ConfigurableListableBeanFactory beanFactory;

    @Test
    void theCacheFilterOfSpringSecuritysChainIsWrapped() {
        BeanDefinition chain = beanFactory.getBeanDefinition(IntrospectorCacheOutsideScim.FILTER_CHAIN);
        List<?> filters = (List<?>) chain.getConstructorArgumentValues().getIndexedArgumentValue(0, null).getValue();
        assertThat(((BeanDefinition) filters.get(0)).getBeanClassName())
                .isEqualTo(IntrospectorCacheOutsideScim.class.getName());
    }

    @Test
    void scimPathsPassStraightOnAndEveryOtherGoesThroughTheCache() throws Exception {
        List<String> cached = new ArrayList<>();
        Filter cache = (request, response, chain) -> {
            cached.add(((MockHttpServletRequest) request).getRequestURI());
            chain.doFilter(request, response);
        };
        IntrospectorCacheOutsideScim filter = new IntrospectorCacheOutsideScim(cache);
        for (String path : List.of("/scim/v2/Users", "/scim/v2", "/scim/v2/Groups/1", "/api/v1/me", "/scim/v2x",
                "/orgs/acme/manage/members", "/login")) {
            MockFilterChain next = new MockFilterChain();
            filter.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), next);
            assertThat(next.getRequest()).as(path + " goes on").isNotNull();
        }
        assertThat(cached).containsExactly("/api/v1/me", "/scim/v2x", "/orgs/acme/manage/members", "/login");
    }
}
