package dev.roster.shared.web;

import java.util.List;
import java.util.Map;

import org.springframework.ui.Model;

/**
 * The page that asks before a destructive or far-reaching change. Forms that need it carry {@code data-confirm},
 * which the page script turns into a dialog; without the script (or when the dialog was skipped) the form arrives
 * without {@code confirmed=yes} and the controller answers with this page, whose button posts the same form again,
 * confirmed. {@code fields} are the form's other fields, carried over.
 */
public record Confirmation(String title, List<String> details, String action, Map<String, String> fields,
                           String button, boolean danger, String cancelHref) {

    public static final String VIEW = "shared/confirm";

    public static boolean given(String confirmed) {
        return "yes".equals(confirmed);
    }

    /** Puts this confirmation in the model and answers the view that shows it. */
    public String show(Model model) {
        model.addAttribute("confirmation", this);
        return VIEW;
    }
}
