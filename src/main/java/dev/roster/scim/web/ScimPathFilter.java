package dev.roster.scim.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resource endpoints in any case and with or without a trailing slash: {@code /users}, {@code /Users/},
 * {@code /groups/.SEARCH} reach {@code /Users}, {@code /Groups/.search}. RFC 7644 spells them one way and does not
 * forbid the others; Microsoft's SCIM reference tests send {@code /users} and {@code /Users/?filter=}. Runs before
 * Spring Security, so the SCIM chain, the controllers and the request log all see the one spelling. Only the
 * endpoint names and one trailing slash change; ids and the base path stay as they were sent.
 */
final class ScimPathFilter extends OncePerRequestFilter {

    private static final List<String> ENDPOINTS = List.of("Users", "Groups", "Schemas", "ResourceTypes",
            "ServiceProviderConfig", "Me", "Bulk", ScimEndpoints.SEARCH);

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + ScimRenderer.BASE_PATH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        String canonical = canonical(uri, request.getContextPath() + ScimRenderer.BASE_PATH);
        if (canonical.equals(uri)) {
            chain.doFilter(request, response);
            return;
        }
        String servletPath = request.getServletPath();
        String canonicalServletPath = servletPath.startsWith(ScimRenderer.BASE_PATH + "/")
                ? canonical(servletPath, ScimRenderer.BASE_PATH) : servletPath;
        chain.doFilter(new Canonical(request, canonical, canonicalServletPath), response);
    }

    /** {@code base + rest} with the endpoint names of {@code rest} in their RFC spelling and no trailing slash. */
    static String canonical(String path, String base) {
        String rest = path.substring(base.length() + 1);
        if (rest.endsWith("/") && rest.length() > 1) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String[] segments = rest.split("/", -1);
        segments[0] = endpoint(segments[0]);
        if (segments.length > 1 && (segments[0].equals("Users") || segments[0].equals("Groups"))
                && segments[1].equalsIgnoreCase(ScimEndpoints.SEARCH)) {
            segments[1] = ScimEndpoints.SEARCH;
        }
        return base + "/" + String.join("/", segments);
    }

    private static String endpoint(String segment) {
        for (String endpoint : ENDPOINTS) {
            if (endpoint.equalsIgnoreCase(segment)) {
                return endpoint;
            }
        }
        return segment;
    }

    private static final class Canonical extends HttpServletRequestWrapper {

        private final String uri;
        private final String servletPath;

        Canonical(HttpServletRequest request, String uri, String servletPath) {
            super(request);
            this.uri = uri;
            this.servletPath = servletPath;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer original = super.getRequestURL();
            String sent = super.getRequestURI();
            int at = original.lastIndexOf(sent);
            return at < 0 ? original : new StringBuffer(original.substring(0, at)).append(uri);
        }
    }
}
