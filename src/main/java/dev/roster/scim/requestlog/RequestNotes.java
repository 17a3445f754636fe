package dev.roster.scim.requestlog;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What Roster made of a SCIM request beyond its status, for the request log: a user kept unlinked and why. Whoever
 * handles the request adds a note; the log's filter writes it with the entry. Outside a web request (a test calling a
 * service) notes go nowhere.
 */
public final class RequestNotes {

    static final String ATTRIBUTE = RequestNotes.class.getName();
    private static final int MAX = 1000;

    private RequestNotes() {
    }

    public static void add(String note) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null || note == null) {
            return;
        }
        Object previous = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        String all = previous == null ? note : previous + " " + note;
        request.setAttribute(ATTRIBUTE, all.length() > MAX ? all.substring(0, MAX) : all,
                RequestAttributes.SCOPE_REQUEST);
    }

    /** The notes added while the request was handled, if any. */
    public static String of(jakarta.servlet.http.HttpServletRequest request) {
        Object note = request.getAttribute(ATTRIBUTE);
        return note == null ? null : note.toString();
    }
}
