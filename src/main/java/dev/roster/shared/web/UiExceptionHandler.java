package dev.roster.shared.web;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import dev.roster.shared.RosterException;

/**
 * Errors of the browser pages that their controllers did not show next to a field themselves: a page that says what
 * went wrong, with the right status. Messages of {@link RosterException} are written for people; other exceptions
 * fall through to the generic error page, which shows no internals.
 */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
public class UiExceptionHandler {

    @ExceptionHandler(RosterException.class)
    String handle(RosterException ex, HttpServletResponse response, Model model) {
        response.setStatus(ex.status().value());
        model.addAttribute("status", ex.status().value());
        model.addAttribute("title", ex.status().getReasonPhrase());
        model.addAttribute("detail", ex.getMessage());
        return "error";
    }
}
