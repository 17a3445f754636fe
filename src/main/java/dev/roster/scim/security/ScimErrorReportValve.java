package dev.roster.scim.security;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import dev.roster.scim.protocol.ScimJson;

/**
 * Tomcat's error report for the requests it refuses before any filter runs (headers over the limit, {@code %00},
 * {@code %2F} or {@code ..%2f} in the path, control characters in a header): in the SCIM error schema for requests
 * under {@code /scim/v2}, as Tomcat's HTML page (without report or server information, as Spring Boot configures it)
 * for the rest. It replaces the host's error report valve.
 */
final class ScimErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (!ContainerErrors.isScim(request.getRequestURI(), contextPath(request))) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(ScimJson.CONTENT_TYPE);
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ScimJson.errorBody(status, null, ContainerErrors.detail(status)));
                writer.flush();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The connection is already gone or the response committed; there is nobody left to tell.
        }
    }

    /** The context of a request Tomcat could not map is unknown; Roster runs in the root context. */
    private static String contextPath(Request request) {
        return request.getContext() == null ? "" : request.getContextPath();
    }
}
