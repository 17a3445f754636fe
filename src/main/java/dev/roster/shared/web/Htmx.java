package dev.roster.shared.web;

import jakarta.servlet.http.HttpServletRequest;

/** Requests made by htmx, which want a piece of a page rather than the whole page. */
public final class Htmx {

    private Htmx() {
    }

    /** An htmx request for part of a page; a history restore asks for the whole page again. */
    public static boolean wantsFragment(HttpServletRequest request) {
        return request.getHeader("HX-Request") != null && request.getHeader("HX-History-Restore-Request") == null;
    }
}
