package dev.roster.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.roster.shared.OrgContext;
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
        back(request).ifPresent(back -> {
            page.addObject("backHref", back[0]);
            page.addObject("backLabel", back[1]);
        });
        return page;
    }

    private static final Pattern MANAGE_SECTION = Pattern.compile("^/orgs/([a-z0-9-]+)/manage/([a-z-]+)/.+");

    /**
     * Where a person who followed a stale link (a member removed since, a deleted team) goes on from: the list the
     * thing was in, when the organization itself was found; otherwise their organizations.
     */
    static Optional<String[]> back(HttpServletRequest request) {
        if (!(request.getAttribute(OrgContext.class.getName()) instanceof OrgContext org)) {
            return Optional.empty();
        }
        Matcher matcher = MANAGE_SECTION.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!matcher.matches() || !matcher.group(1).equals(org.slug())) {
            return Optional.of(new String[] {"/orgs/" + org.slug(), "Back to " + org.organizationName()});
        }
        String section = matcher.group(2);
        return Optional.of(new String[] {"/orgs/" + org.slug() + "/manage/" + section,
                "Back to the " + section.replace('-', ' ') + " of " + org.organizationName()});
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
