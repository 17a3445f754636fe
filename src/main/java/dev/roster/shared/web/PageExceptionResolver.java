package dev.roster.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import dev.roster.shared.RosterException;

/**
 * A {@link RosterException} that reaches no handler on a page (the organization check refusing a removed member, say,
 * which runs before any controller could catch it) becomes an error page with the exception's status and message
 * instead of a 500. It runs after Spring MVC's own resolvers, so {@code @ExceptionHandler}s (the JSON API's problem
 * details among them) always come first, and it never answers for the API.
 */
@Component
class PageExceptionResolver implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception ex) {
        if (!(ex instanceof RosterException problem)
                || request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return null;
        }
        ModelAndView page = new ModelAndView("error/problem");
        page.setStatus(problem.status());
        page.addObject("title", switch (problem.status()) {
            case FORBIDDEN -> "Not allowed";
            case NOT_FOUND -> "Not found";
            default -> problem.status().getReasonPhrase();
        });
        page.addObject("message", problem.getMessage());
        return page;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
