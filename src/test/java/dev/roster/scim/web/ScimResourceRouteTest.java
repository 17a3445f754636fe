package dev.roster.scim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import dev.roster.test.RosterIntegrationTest;

/**
 * {@link ScimResourceDispatch} serves a request only where Spring MVC would have called the same
 * {@link ScimResourcesController} method, and leaves to Spring MVC every plain request it would have sent anywhere
 * else (discovery, the fallback's 404, 405 and 501). HEAD and percent-encoded paths stay with Spring MVC too, which
 * maps HEAD to the GET handlers and decodes paths.
 */
@RosterIntegrationTest
class ScimResourceRouteTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "FOO");
    private static final List<String> PATHS = List.of("", "/", "/Users", "/Groups", "/Users/.search",
            "/Groups/.search", "/.search", "/Users/2819c223-7f76-453a-919d-413861904646", "/Groups/abc", "/Users/a.b",
            "/Groups/.SEARCH", "/Users/", "/Groups/", "/Users/abc/extra", "/Users/.search/x", "/Schemas",
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/ServiceProviderConfig", "/ResourceTypes",
            "/ResourceTypes/User", "/Me", "/Me/x", "/Bulk", "/Userz", "/users", "/Users/%61bc", "/%55sers",
            "/.search/x");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mvc;

    @Test
    void everyRouteIsTheHandlerSpringMvcPicksAndNoPlainRequestForAHandlerIsLeftToIt() throws Exception {
        List<String> routed = new ArrayList<>();
        for (String method : METHODS) {
            for (String path : PATHS) {
                MockHttpServletRequest request = new MockHttpServletRequest(method, ScimRenderer.BASE_PATH + path);
                ScimResourceRoute route = ScimResourceDispatch.route(request);
                String picked = resourceHandler(request);
                String what = method + " " + path;
                if (route != null) {
                    routed.add(what);
                    assertThat(picked).as(what).isEqualTo(route.handler);
                    if (route.takesId()) {
                        assertThat(ScimResourceRoute.id(request.getRequestURI())).as(what)
                                .isEqualTo(path.substring(path.lastIndexOf('/') + 1));
                    }
                }
                else if (!method.equals("HEAD") && !path.contains("%")) {
                    assertThat(picked).as(what + " is not a resource handler's").isNull();
                }
            }
        }
        assertThat(routed).hasSize(23);
        for (ScimResourceRoute route : ScimResourceRoute.values()) {
            assertThat(ScimResourceDispatch.handlerMethod(route).getName()).isEqualTo(route.handler);
        }
    }

    /** The name of the {@link ScimResourcesController} method Spring MVC would call, or null for any other. */
    private String resourceHandler(MockHttpServletRequest request) throws Exception {
        ServletRequestPathUtils.parseAndCache(request);
        HandlerExecutionChain chain = mvc.getHandler(request);
        return chain != null && chain.getHandler() instanceof HandlerMethod method
                && method.getBeanType() == ScimResourcesController.class ? method.getMethod().getName() : null;
    }
}
