package dev.roster.scim.web;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import dev.roster.scim.directory.ScimDirectoryService;

/**
 * Serves SCIM's resource endpoints ({@link ScimResourceRoute}) by calling their {@link ScimResourcesController}
 * method directly, after Spring Security's SCIM chain has authenticated, logged and rate-limited the request, instead
 * of through Spring MVC's {@code DispatcherServlet}. The handlers already read their requests and write their answers
 * themselves, so all the dispatcher still did for them was finding the handler (every handler mapping of the
 * application), running the interceptors, resolving three arguments and setting up its per-request state: 8.6 % of
 * a SCIM request thread's CPU in a profile of Entra's look-up and create (docs/benchmarks.md, issue 15's fifth round).
 * <p>
 * What the dispatcher did that shows in an answer is done here the same way: the {@link JsonBody} check of
 * {@link ScimMediaTypes} before the handler, and a failure handed to the application's exception resolvers with the
 * handler, as {@code DispatcherServlet} hands it, so {@link ScimExceptionHandler} answers it with the very same status,
 * headers and body. Any request without a route goes on down the chain to Spring MVC, unchanged.
 */
final class ScimResourceDispatch implements Filter {

    private final ObjectProvider<ScimResourcesController> controller;
    private final ObjectProvider<HandlerExceptionResolver> exceptionResolvers;
    /** Resolved at the first request: a filter is created before the controllers and resolvers are. */
    private volatile Handlers handlers;

    ScimResourceDispatch(ObjectProvider<ScimResourcesController> controller,
                         ObjectProvider<HandlerExceptionResolver> exceptionResolvers) {
        this.controller = controller;
        this.exceptionResolvers = exceptionResolvers;
    }

    /** The controller, each route's handler method (for the resolvers and the media type check) and the resolvers. */
    private record Handlers(ScimResourcesController controller, Map<ScimResourceRoute, HandlerMethod> methods,
                            Map<ScimResourceRoute, Boolean> jsonBody, List<HandlerExceptionResolver> resolvers) {
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        ScimResourceRoute route = route(request);
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (route == null || multipart(request) || authentication == null
                || !(authentication.getPrincipal() instanceof ScimDirectoryService.Caller caller)) {
            chain.doFilter(request, response);
            return;
        }
        Handlers known = handlers();
        try {
            if (known.jsonBody().get(route)) {
                ScimMediaTypes.requireJson(request.getContentType());
            }
            serve(known.controller(), route, caller, request, response);
        }
        catch (Throwable failure) {
            // As DispatcherServlet.doDispatch keeps what a handler throws.
            Exception ex = failure instanceof Exception exception ? exception
                    : new ServletException("Handler dispatch failed: " + failure, failure);
            answerFailure(known, known.methods().get(route), request, response, ex);
        }
    }

    /** The route of the request below the SCIM base, or null. */
    static ScimResourceRoute route(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int base = request.getContextPath().length() + ScimRenderer.BASE_PATH.length();
        if (uri.length() <= base || uri.charAt(base) != '/') {
            return null;
        }
        return ScimResourceRoute.of(request.getMethod(), uri.substring(base));
    }

    /**
     * Spring MVC parses a multipart body before the handler runs (and may refuse it there); such a request, which no
     * SCIM handler takes, is left to it.
     */
    private static boolean multipart(HttpServletRequest request) {
        return StringUtils.startsWithIgnoreCase(request.getContentType(), "multipart/");
    }

    private static void serve(ScimResourcesController controller, ScimResourceRoute route,
                              ScimDirectoryService.Caller caller, HttpServletRequest request,
                              HttpServletResponse response) throws IOException {
        String id = route.takesId() ? ScimResourceRoute.id(request.getRequestURI()) : null;
        switch (route) {
            case LIST_USERS -> controller.listUsers(caller, request, response);
            case CREATE_USER -> controller.createUser(caller, request, response);
            case SEARCH_USERS -> controller.searchUsers(caller, request, response);
            case GET_USER -> controller.getUser(caller, id, request, response);
            case REPLACE_USER -> controller.replaceUser(caller, id, request, response);
            case PATCH_USER -> controller.patchUser(caller, id, request, response);
            case DELETE_USER -> controller.deleteUser(caller, id, request, response);
            case LIST_GROUPS -> controller.listGroups(caller, request, response);
            case CREATE_GROUP -> controller.createGroup(caller, request, response);
            case SEARCH_GROUPS -> controller.searchGroups(caller, request, response);
            case GET_GROUP -> controller.getGroup(caller, id, request, response);
            case REPLACE_GROUP -> controller.replaceGroup(caller, id, request, response);
            case PATCH_GROUP -> controller.patchGroup(caller, id, request, response);
            case DELETE_GROUP -> controller.deleteGroup(caller, id, request, response);
            case SEARCH_ALL -> controller.searchAll(caller, request, response);
        }
    }

    /**
     * DispatcherServlet.processHandlerException: the body written so far is dropped, the resolvers are asked in order
     * with the handler that failed, and an answer they wrote themselves ends the request. A failure none of them
     * answers goes to the container's error page, as it would from the dispatcher (ScimErrorPageFilter answers it).
     */
    private static void answerFailure(Handlers known, HandlerMethod handler, HttpServletRequest request,
                                      HttpServletResponse response, Exception ex)
            throws IOException, ServletException {
        try {
            response.resetBuffer();
        }
        catch (IllegalStateException committed) {
            // As the dispatcher: the resolvers are asked anyway.
        }
        for (HandlerExceptionResolver resolver : known.resolvers()) {
            ModelAndView answer = resolver.resolveException(request, response, handler, ex);
            if (answer != null && answer.isEmpty()) {
                request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, ex);
                return;
            }
            if (answer != null) {
                // ScimExceptionHandler answers every exception itself; a view would need the dispatcher to render it.
                throw new ServletException("A SCIM failure was resolved to a view: " + answer, ex);
            }
        }
        if (ex instanceof ServletException servlet) {
            throw servlet;
        }
        if (ex instanceof IOException io) {
            throw io;
        }
        throw new ServletException("Request processing failed: " + ex, ex);
    }

    private Handlers handlers() {
        Handlers known = handlers;
        if (known == null) {
            known = resolve();
            handlers = known;
        }
        return known;
    }

    private Handlers resolve() {
        ScimResourcesController bean = controller.getObject();
        Map<ScimResourceRoute, HandlerMethod> methods = new EnumMap<>(ScimResourceRoute.class);
        Map<ScimResourceRoute, Boolean> jsonBody = new EnumMap<>(ScimResourceRoute.class);
        for (ScimResourceRoute route : ScimResourceRoute.values()) {
            Method method = handlerMethod(route);
            methods.put(route, new HandlerMethod(bean, method));
            jsonBody.put(route, method.isAnnotationPresent(JsonBody.class));
        }
        return new Handlers(bean, methods, jsonBody, exceptionResolvers.orderedStream().toList());
    }

    /** The controller method a route names; there is exactly one of each name. */
    static Method handlerMethod(ScimResourceRoute route) {
        Method found = null;
        for (Method method : ReflectionUtils.getDeclaredMethods(ScimResourcesController.class)) {
            if (method.getName().equals(route.handler)) {
                if (found != null) {
                    throw new IllegalStateException("Two handlers are named " + route.handler);
                }
                found = method;
            }
        }
        if (found == null) {
            throw new IllegalStateException("No handler is named " + route.handler);
        }
        return found;
    }
}
