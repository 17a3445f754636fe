package dev.roster.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import dev.roster.test.RosterIntegrationTest;

/**
 * The organization access check runs on every handler with an organization in its path, and not on the SCIM
 * endpoints, which have none and admit only a directory's token on their own chain (issue 15: it found nothing to
 * check there on every request of a sync).
 */
@RosterIntegrationTest
class OrgAccessInterceptorScopeTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyOrganizationPathIsCheckedAndNoScimPath() throws Exception {
        assertThat(checked("GET", "/api/v1/orgs/acme/members")).isTrue();
        assertThat(checked("GET", "/orgs/acme/manage/members")).isTrue();
        assertThat(checked("GET", "/api/v1/orgs/acme/scim-directories")).as("the SCIM admin API is the admin's")
                .isTrue();
        assertThat(checked("GET", "/scim/v2/Users")).isFalse();
        assertThat(checked("POST", "/scim/v2/Users")).isFalse();
    }

    private boolean checked(String method, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        ServletRequestPathUtils.parseAndCache(request);
        HandlerExecutionChain chain = mapping.getHandler(request);
        assertThat(chain).as(path + " has a handler").isNotNull();
        return chain.getInterceptorList().stream().anyMatch(OrgAccessInterceptor.class::isInstance);
    }
}
