package dev.roster.scim.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimJson;

/**
 * SCIM bodies are JSON (RFC 7644 section 3.1: {@code application/scim+json}, and {@code application/json} which
 * clients also send), with any parameters such as a charset. A POST, PUT or PATCH to a SCIM endpoint that reads a
 * body and declares another media type, or none, is 415 before the body is read: text/plain or XML that happens to
 * parse as JSON is not taken as a SCIM message. {@link ScimResourceDispatch} makes the same check ({@link #requireJson})
 * for the requests it serves without Spring MVC; this interceptor makes it for those Spring MVC serves.
 */
final class ScimMediaTypes implements HandlerInterceptor {

    static final String ACCEPTED = "application/scim+json, application/json";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && ScimEndpoint.class.isAssignableFrom(method.getBeanType())
                && method.getMethod().isAnnotationPresent(JsonBody.class)) {
            requireJson(request.getContentType());
        }
        return true;
    }

    static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("The request has a body but no Content-Type; send it as application/scim+json.");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        }
        catch (InvalidMediaTypeException ex) {
            throw unsupported("The Content-Type header is not a media type; send the body as application/scim+json.");
        }
        if (!type.equalsTypeAndSubtype(ScimJson.MEDIA_TYPE) && !type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
            String sent = type.getType() + "/" + type.getSubtype();
            throw unsupported("The body is sent as " + (sent.length() > 80 ? "another media type" : sent)
                    + "; SCIM bodies are application/scim+json or application/json (RFC 7644 section 3.1).");
        }
    }

    private static ScimError unsupported(String detail) {
        return new ScimError(415, null, detail);
    }
}
