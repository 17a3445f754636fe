package dev.roster.events.web;

import java.util.List;

import com.fasterxml.jackson.databind.util.RawValue;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.events.EventPage;
import dev.roster.events.EventStore;
import dev.roster.events.EventTypes;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;

/**
 * The Events API: an organization's events in commit order, for its admins. A consumer stores {@code next} and asks
 * with {@code after=next} again, later; it then sees every event once, in order (docs/events.md).
 */
@RestController
class EventsApiController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EventStore events;

    EventsApiController(EventStore events) {
        this.events = events;
    }

    /** {@code data}: the events, each as docs/events.md shows; {@code next}: the cursor to continue after them. */
    record EventsPage(List<RawValue> data, String next) {
    }

    @GetMapping("/api/v1/orgs/{slug}/events")
    EventsPage list(OrgContext org, @RequestParam(required = false) String after,
                    @RequestParam(required = false) String types, @RequestParam(required = false) Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw InvalidRequestException.field("limit", "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        EventPage page = events.read(org.organizationId(), cursor(after), EventTypes.parseList(types, "types"), size);
        return new EventsPage(page.events().stream().map(e -> new RawValue(e.toJson(org.slug()))).toList(),
                Long.toString(page.next()));
    }

    private static Long cursor(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(after.trim());
        }
        catch (NumberFormatException ex) {
            throw InvalidRequestException.field("after", "Not a cursor of this organization's events.");
        }
    }
}
