package dev.roster.scim.security;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The error page of SCIM requests: when a request under {@code /scim/v2} ends in the container's error dispatch
 * (Spring Security's firewall refusing {@code ;}, {@code //} or {@code %25} with 400, an exception escaping a filter,
 * the container's own errors that reach the application), the answer is the SCIM error schema instead of Spring
 * Boot's error page, which an IdP cannot read.
 */
final class ScimErrorPageFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getDispatcherType() != DispatcherType.ERROR
                || !(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri)
                || !ContainerErrors.isScim(uri, request.getContextPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code
                : response.getStatus();
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ScimErrorWriter.write(response, status, ContainerErrors.detail(status));
    }
}
