package dev.roster.shared.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;

import dev.roster.shared.NotFoundException;
import dev.roster.shared.RosterException;

/**
 * A form a service refused, answered in place: the refusal's status, its message or its errors by field under the
 * model attributes the page's template reads, and what the person typed, so the page shows the form again as they
 * left it. Page controllers answer every refused form through it (a refusal of a button that redirects is a flash
 * message instead), so a refused form looks and answers the same on every page:
 * <pre>
 * catch (RosterException ex) {
 *     RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "name").keep("name", name);
 *     return render(org, model);
 * }
 * </pre>
 */
public final class RefusedForm {

    private final RosterException refusal;
    private final HttpServletResponse response;
    private final Model model;

    private RefusedForm(RosterException refusal, HttpServletResponse response, Model model) {
        this.refusal = refusal;
        this.response = response;
        this.model = model;
    }

    /** Answers with the refusal's status; the calls that follow put its errors and the typed values in the model. */
    public static RefusedForm answer(RosterException refusal, HttpServletResponse response, Model model) {
        response.setStatus(refusal.status().value());
        return new RefusedForm(refusal, response, model);
    }

    /**
     * Lets the error page answer when what the page is about has gone (a connection, a directory, an endpoint
     * deleted since the form was shown): a form for something that is not there cannot be shown again.
     */
    public static void rethrowIfNotFound(RosterException refusal) {
        if (refusal instanceof NotFoundException) {
            throw refusal;
        }
    }

    /** Answers a {@link NotFoundException} with {@code status} instead (something typed into the form was not found). */
    public RefusedForm notFoundAs(HttpStatus status) {
        if (refusal instanceof NotFoundException) {
            response.setStatus(status.value());
        }
        return this;
    }

    /** The refusal's errors by field; a refusal that names no field is shown next to {@code field}. */
    public RefusedForm fieldErrors(String attribute, String field) {
        model.addAttribute(attribute, errorsByField(refusal, field));
        return this;
    }

    /** Only the refusal's own errors by field (none when it names no field). */
    public RefusedForm fieldErrors(String attribute) {
        model.addAttribute(attribute, refusal.fieldErrors());
        return this;
    }

    /** The error of {@code field}, or the refusal's message when it names no error for that field. */
    public RefusedForm fieldError(String attribute, String field) {
        model.addAttribute(attribute, refusal.fieldErrors().getOrDefault(field, refusal.getMessage()));
        return this;
    }

    /** The refusal's message, for the top of the form. */
    public RefusedForm message(String attribute) {
        model.addAttribute(attribute, refusal.getMessage());
        return this;
    }

    /** The refusal's message when it names no field (its field errors say it otherwise). */
    public RefusedForm messageUnlessFieldErrors(String attribute) {
        if (refusal.fieldErrors().isEmpty()) {
            model.addAttribute(attribute, refusal.getMessage());
        }
        return this;
    }

    /** A value the person typed or chose, shown in the form again. */
    public RefusedForm keep(String attribute, Object value) {
        model.addAttribute(attribute, value);
        return this;
    }

    /** The refusal's errors by field, or its message under {@code field} when it names none. */
    public static Map<String, String> errorsByField(RosterException refusal, String field) {
        return refusal.fieldErrors().isEmpty() ? Map.of(field, refusal.getMessage()) : refusal.fieldErrors();
    }
}
