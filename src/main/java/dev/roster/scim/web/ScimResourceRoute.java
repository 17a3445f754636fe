package dev.roster.scim.web;

/**
 * The requests of {@link ScimResourcesController} that {@link ScimResourceDispatch} serves without Spring MVC, each
 * named by the controller method whose mapping it repeats. Only paths that reach a handler as they are written take
 * a route: the endpoint names in their RFC spelling ({@link ScimPathFilter} has made them so), one id segment, and
 * nothing percent-encoded (Spring MVC decodes, so such a path is left to it). Everything else (other methods, HEAD
 * and OPTIONS, discovery, unknown paths and their 404, 405 and 501) goes on to Spring MVC as before.
 * {@code ScimResourceRouteTest} checks every route against the handler Spring MVC picks for the same request.
 */
enum ScimResourceRoute {

    LIST_USERS("listUsers"),
    CREATE_USER("createUser"),
    SEARCH_USERS("searchUsers"),
    GET_USER("getUser"),
    REPLACE_USER("replaceUser"),
    PATCH_USER("patchUser"),
    DELETE_USER("deleteUser"),
    LIST_GROUPS("listGroups"),
    CREATE_GROUP("createGroup"),
    SEARCH_GROUPS("searchGroups"),
    GET_GROUP("getGroup"),
    REPLACE_GROUP("replaceGroup"),
    PATCH_GROUP("patchGroup"),
    DELETE_GROUP("deleteGroup"),
    SEARCH_ALL("searchAll");

    private static final String USERS = "/Users/";
    private static final String GROUPS = "/Groups/";

    /** The {@link ScimResourcesController} method that serves the route. */
    final String handler;

    ScimResourceRoute(String handler) {
        this.handler = handler;
    }

    /** Whether the route names a resource by its id, the last segment of its path. */
    boolean takesId() {
        return switch (this) {
            case GET_USER, REPLACE_USER, PATCH_USER, DELETE_USER, GET_GROUP, REPLACE_GROUP, PATCH_GROUP,
                 DELETE_GROUP -> true;
            default -> false;
        };
    }

    /** The id in {@code path} of a route that {@link #takesId() takes one}. */
    static String id(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The route of {@code method} on {@code path} (below the SCIM base, as sent: {@code /Users/42}), or null for a
     * request Spring MVC answers.
     */
    static ScimResourceRoute of(String method, String path) {
        if (path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
            return null;
        }
        switch (path) {
            case "/Users":
                return collection(method, LIST_USERS, CREATE_USER);
            case "/Groups":
                return collection(method, LIST_GROUPS, CREATE_GROUP);
            // Before /Users/{id}, as in Spring MVC: a search takes POST only (ScimFallbackController answers others).
            case "/Users/.search":
                return "POST".equals(method) ? SEARCH_USERS : null;
            case "/Groups/.search":
                return "POST".equals(method) ? SEARCH_GROUPS : null;
            case "/.search":
                return "POST".equals(method) ? SEARCH_ALL : null;
            default:
                break;
        }
        if (path.startsWith(USERS)) {
            return oneId(path, USERS.length()) ? resource(method, GET_USER, REPLACE_USER, PATCH_USER, DELETE_USER)
                    : null;
        }
        if (path.startsWith(GROUPS)) {
            return oneId(path, GROUPS.length())
                    ? resource(method, GET_GROUP, REPLACE_GROUP, PATCH_GROUP, DELETE_GROUP) : null;
        }
        return null;
    }

    private static ScimResourceRoute collection(String method, ScimResourceRoute get, ScimResourceRoute post) {
        return switch (method) {
            case "GET" -> get;
            case "POST" -> post;
            default -> null;
        };
    }

    private static ScimResourceRoute resource(String method, ScimResourceRoute get, ScimResourceRoute put,
                                              ScimResourceRoute patch, ScimResourceRoute delete) {
        return switch (method) {
            case "GET" -> get;
            case "PUT" -> put;
            case "PATCH" -> patch;
            case "DELETE" -> delete;
            default -> null;
        };
    }

    /** One non-empty segment after {@code from}, as {@code {id}} matches. */
    private static boolean oneId(String path, int from) {
        return path.length() > from && path.indexOf('/', from) < 0;
    }
}
