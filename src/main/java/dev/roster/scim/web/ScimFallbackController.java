package dev.roster.scim.web;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import dev.roster.scim.protocol.ScimJson;

/**
 * Anything under the SCIM base that no endpoint served, answered in the SCIM error schema rather than with the
 * application's HTML or problem pages, which an IdP cannot read: 405 with {@code Allow} for a method an endpoint
 * does not take ({@code POST /Schemas}, {@code DELETE /Users}), 501 for the endpoints of RFC 7644 Roster does not
 * implement, 404 for the rest.
 */
@Controller
class ScimFallbackController implements ScimEndpoint {

    @RequestMapping({ScimRenderer.BASE_PATH, ScimRenderer.BASE_PATH + "/**"})
    ResponseEntity<byte[]> unknown(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String below = path.substring(ScimRenderer.BASE_PATH.length());
        Optional<ScimEndpoints.Endpoint> endpoint = below.isEmpty() ? Optional.empty() : ScimEndpoints.of(below);
        if (endpoint.isEmpty()) {
            String detail = path.length() > 200 ? "No SCIM endpoint here." : "No SCIM endpoint " + request.getMethod()
                    + " " + path + ".";
            return ScimResponses.error(404, null, detail);
        }
        if (!endpoint.get().implemented()) {
            return ScimResponses.error(501, null, "Roster does not implement " + endpoint.get().name()
                    + " (RFC 7644 sections 3.7 and 3.11); ServiceProviderConfig lists what it supports.");
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.ALLOW, endpoint.get().allow());
        return ScimResponses.of(HttpStatus.METHOD_NOT_ALLOWED, ScimJson.error(405, null, endpoint.get().name()
                + " does not take " + safeMethod(request.getMethod()) + "; it takes " + endpoint.get().allow() + "."),
                headers);
    }

    /**
     * The searches take POST only; without this, {@code GET /Users/.search} would reach {@code GET /Users/{id}} and
     * look for a user called ".search".
     */
    @RequestMapping(path = {ScimRenderer.BASE_PATH + "/Users/.search", ScimRenderer.BASE_PATH + "/Groups/.search"},
            method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    ResponseEntity<byte[]> searchWithoutPost(HttpServletRequest request) {
        return unknown(request);
    }

    /** Methods are tokens, but anything can arrive; a long or odd one is not repeated. */
    private static String safeMethod(String method) {
        return method.length() <= 16 && method.chars().allMatch(c -> c >= 'A' && c <= 'Z') ? method
                : "this method";
    }
}
