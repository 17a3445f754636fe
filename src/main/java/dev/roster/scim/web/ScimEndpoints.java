package dev.roster.scim.web;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The endpoints of RFC 7644 and the methods Roster serves on each, so a request no controller took can be told
 * apart: a known endpoint with another method is 405 with {@code Allow} (RFC 9110 section 15.5.6; the discovery
 * endpoints of RFC 7644 section 4 are read-only), an endpoint RFC 7644 defines but Roster does not implement is 501
 * (section 3.12), and anything else is 404.
 */
final class ScimEndpoints {

    static final String SEARCH = ".search";

    /** A path under the SCIM base and what Roster does there; {@code methods} is empty where it implements nothing. */
    record Endpoint(PathPattern pattern, Set<HttpMethod> methods) {

        /** How the endpoint is named in answers: {@code /Users/{id}}, {@code /Me}. */
        String name() {
            return pattern.getPatternString().replace("/**", "");
        }

        boolean implemented() {
            return !methods.isEmpty();
        }

        String allow() {
            return String.join(", ", methods.stream().map(HttpMethod::name).sorted(ScimEndpoints::byUse).toList());
        }
    }

    private static final Set<HttpMethod> COLLECTION = Set.of(HttpMethod.GET, HttpMethod.POST);
    private static final Set<HttpMethod> RESOURCE = Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final Set<HttpMethod> READ_ONLY = Set.of(HttpMethod.GET);
    private static final Set<HttpMethod> QUERY = Set.of(HttpMethod.POST);
    private static final List<String> ORDER = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    // Checked in order: /Users/.search before /Users/{id}.
    private static final List<Endpoint> ALL = List.of(
            endpoint("/Users/.search", QUERY),
            endpoint("/Groups/.search", QUERY),
            endpoint("/.search", QUERY),
            endpoint("/Users", COLLECTION),
            endpoint("/Users/{id}", RESOURCE),
            endpoint("/Groups", COLLECTION),
            endpoint("/Groups/{id}", RESOURCE),
            endpoint("/ServiceProviderConfig", READ_ONLY),
            endpoint("/ResourceTypes", READ_ONLY),
            endpoint("/ResourceTypes/{name}", READ_ONLY),
            endpoint("/Schemas", READ_ONLY),
            endpoint("/Schemas/{id}", READ_ONLY),
            endpoint("/Me/**", Set.of()),
            endpoint("/Bulk", Set.of()));

    private ScimEndpoints() {
    }

    /** The endpoint a path below the SCIM base (such as {@code /Users/42}) belongs to. */
    static Optional<Endpoint> of(String path) {
        PathContainer container = PathContainer.parsePath(path);
        return ALL.stream().filter(e -> e.pattern().matches(container)).findFirst();
    }

    private static Endpoint endpoint(String pattern, Set<HttpMethod> methods) {
        return new Endpoint(PathPatternParser.defaultInstance.parse(pattern), methods);
    }

    private static int byUse(String a, String b) {
        return Integer.compare(ORDER.indexOf(a), ORDER.indexOf(b));
    }
}
