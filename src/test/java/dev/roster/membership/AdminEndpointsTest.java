package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.roster.shared.MemberAccess;
import dev.roster.shared.OperatorAccess;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestSession;

/**
 * Every organization endpoint without {@link MemberAccess} is for admins only. The endpoints are read from Spring's
 * own handler mappings rather than listed here, so endpoints added later are covered without anyone remembering to.
 */
@RosterIntegrationTest
class AdminEndpointsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(RequestMethod method, String pattern, String handler, boolean operatorOnly) {

        boolean isApi() {
            return pattern.startsWith("/api/");
        }

        @Override
        public String toString() {
            return method + " " + pattern + " (" + handler + ")";
        }
    }

    @Test
    void aPlainMemberGets403OnEveryAdminEndpoint() {
        List<Endpoint> endpoints = adminEndpoints();
        Set<String> described = new TreeSet<>();
        endpoints.forEach(e -> described.add(e.method() + " " + e.pattern()));
        assertThat(described).as("the enumeration finds the admin API").contains(
                "GET /api/v1/orgs/{slug}/members", "DELETE /api/v1/orgs/{slug}/members/{id}",
                "PATCH /api/v1/orgs/{slug}/members/{id}", "PUT /api/v1/orgs/{slug}/members/{id}/teams/{teamId}",
                "POST /api/v1/orgs/{slug}/teams", "DELETE /api/v1/orgs/{slug}/teams/{id}",
                "POST /api/v1/orgs/{slug}/resources", "PATCH /api/v1/orgs/{slug}/resources/{id}",
                "GET /api/v1/orgs/{slug}/members/{id}/accessible-resources");
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(20);
        assertThat(described).as("member endpoints are not in the list").doesNotContain(
                "GET /api/v1/orgs/{slug}/me", "GET /api/v1/orgs/{slug}/decisions", "GET /orgs/{slug}");

        Org org = testData.org();
        Person member = testData.member(org, false);
        TestSession session = new TestSession(api.baseUrl());
        session.signIn(member.email(), TestData.PASSWORD);
        String csrfPage = "/orgs/" + org.slug();
        assertThat(TestSession.csrfToken(session.get(csrfPage).body()))
                .as("the member's own page carries a CSRF token, so UI refusals below are not CSRF failures")
                .isNotNull();

        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            String path = fill(endpoint.pattern(), org.slug());
            if (endpoint.isApi()) {
                TestApi.Response response = api.send(member.token(), endpoint.method().name(), path,
                        endpoint.method() == RequestMethod.GET ? null : "{}", Map.of());
                // The operator's own endpoints refuse every personal token, an admin's too (OperatorApiTest).
                String expected = endpoint.operatorOnly() ? "urn:roster:problem:operator-required"
                        : "urn:roster:problem:admin-required";
                if (response.status() != 403 || !response.json().path("type").asText().equals(expected)) {
                    failures.add(endpoint + " → " + response.status() + " " + response.body());
                }
            }
            else {
                TestSession.Page page = endpoint.method() == RequestMethod.GET ? session.get(path)
                        : session.send(endpoint.method().name(), path, csrfPage);
                if (page.status() != 403 || !page.body().contains("Only admins")) {
                    failures.add(endpoint + " → " + page.status());
                }
            }
        }
        assertThat(failures).as("endpoints a plain member could use").isEmpty();

        // The same requests from an admin are not refused, so the 403s above are about who asks.
        TestApi.Response asAdmin = api.get(org.admin().token(), org.api("/members"));
        assertThat(asAdmin.status()).isEqualTo(200);
    }

    private List<Endpoint> adminEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (handler.hasMethodAnnotation(MemberAccess.class)
                    || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), MemberAccess.class)) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String pattern : entry.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/v1/orgs/{slug}") && !pattern.startsWith("/orgs/{slug}")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST)
                        : methods) {
                    OperatorAccess operator = handler.hasMethodAnnotation(OperatorAccess.class)
                            ? handler.getMethodAnnotation(OperatorAccess.class)
                            : AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), OperatorAccess.class);
                    endpoints.add(new Endpoint(method, pattern,
                            handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName(),
                            operator != null && operator.exclusive()));
                }
            }
        }
        return endpoints;
    }

    private static String fill(String pattern, String slug) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group(1).equals("slug") ? slug : UUID.randomUUID().toString();
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(path);
        return path.toString();
    }
}
