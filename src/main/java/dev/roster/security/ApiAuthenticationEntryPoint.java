package dev.roster.security;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import dev.roster.shared.web.ApiExceptionHandler;
import dev.roster.shared.web.RequestIds;

/** 401 and 403 for the JSON API, as problem details, with the {@code WWW-Authenticate} challenge on 401. */
class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectMapper json;

    ApiAuthenticationEntryPoint(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        reject(response, "Authentication is required: send an API token as 'Authorization: Bearer <token>'.");
    }

    void reject(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"roster\"");
        write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean operator = authentication != null && authentication.getPrincipal() == OperatorPrincipal.INSTANCE;
        if (operator) {
            write(response, HttpStatus.FORBIDDEN, "operator-not-allowed", "The operator token opens only the operator "
                    + "API (/api/v1/orgs); use a personal API token for everything else.");
            return;
        }
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/v1/orgs")) {
            write(response, HttpStatus.FORBIDDEN, "operator-required", "Only the operator can do this: send the "
                    + "operator token (ROSTER_OPERATOR_TOKEN). An organization admin's API token is not one.");
            return;
        }
        write(response, HttpStatus.FORBIDDEN, "forbidden", "You are not allowed to do this.");
    }

    private void write(HttpServletResponse response, HttpStatus status, String code, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ApiExceptionHandler.type(code));
        problem.setProperty("requestId", RequestIds.current());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
