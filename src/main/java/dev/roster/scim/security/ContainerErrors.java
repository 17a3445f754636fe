package dev.roster.scim.security;

/**
 * What an identity provider is told when the answer comes from the servlet container or Spring Security's firewall
 * rather than from a SCIM endpoint: the request's URL or headers could not be accepted at all. Only the status is
 * known there, so each gets a sentence of its own; the container's own text is never passed on.
 */
final class ContainerErrors {

    static final String BASE_PATH = "/scim/v2";

    /** The largest request line and headers Roster reads ({@code server.max-http-request-header-size}). */
    static final String HEADER_LIMIT = "32 KB";

    private ContainerErrors() {
    }

    /** Whether a request URI, as sent (not decoded), is under the SCIM base. */
    static boolean isScim(String requestUri, String contextPath) {
        if (requestUri == null) {
            return false;
        }
        String base = (contextPath == null ? "" : contextPath) + BASE_PATH;
        return requestUri.equals(base) || requestUri.startsWith(base + "/") || requestUri.startsWith(base + "?");
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "Roster could not accept the request's URL or headers: they contain something HTTP or SCIM"
                    + " does not allow here (such as an encoded slash or backslash, '..', ';', '%25', a NUL byte or"
                    + " a control character), or the request line and headers together exceed " + HEADER_LIMIT + ".";
            case 401 -> "Authentication is required: send the directory's token as 'Authorization: Bearer <token>'.";
            case 403 -> "The request is not allowed.";
            case 404 -> "No SCIM endpoint here.";
            case 405 -> "This endpoint does not take this method.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request body is larger than Roster accepts.";
            case 414 -> "The URL is longer than Roster accepts.";
            case 431 -> "The request's headers are larger than Roster accepts (" + HEADER_LIMIT + ").";
            case 501 -> "Roster does not implement what the request asks for.";
            case 505 -> "Roster speaks HTTP/1.1 and HTTP/1.0.";
            default -> status >= 500 ? "Roster could not process the request. The error is logged."
                    : "The request was not accepted (HTTP " + status + ").";
        };
    }
}
