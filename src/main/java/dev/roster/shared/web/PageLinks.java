package dev.roster.shared.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UriComponentsBuilder;

import dev.roster.shared.PageResult;

/**
 * The pager under a list: "Showing 51–100 of 10,000" and links to the neighbouring pages that keep every other
 * query parameter (search, filters) of the current address.
 */
public record PageLinks(long first, long last, long total, String previousHref, String nextHref) {

    public static PageLinks of(PageResult<?> result, HttpServletRequest request) {
        long first = result.items().isEmpty() ? 0 : (long) result.page() * result.size() + 1;
        long last = result.items().isEmpty() ? 0 : first + result.items().size() - 1;
        boolean hasNext = (long) (result.page() + 1) * result.size() < result.total();
        return new PageLinks(first, last, result.total(),
                result.page() > 0 ? href(request, result.page() - 1) : null,
                hasNext ? href(request, result.page() + 1) : null);
    }

    public boolean isPaged() {
        return previousHref != null || nextHref != null;
    }

    private static String href(HttpServletRequest request, int page) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(request.getRequestURI())
                .query(request.getQueryString());
        if (page == 0) {
            uri.replaceQueryParam("page");
        }
        else {
            uri.replaceQueryParam("page", page);
        }
        return uri.build(true).toUriString();
    }
}
