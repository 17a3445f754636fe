package dev.roster.audit.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.Channel;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.PageLinks;

/**
 * Manage → Audit log: every change in the organization, newest first, filtered by who (actor), how (channel), what
 * (action), to what (target) and when (UTC dates), and the same selection as a CSV download.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage")
class AuditPageController {

    static final int PAGE_SIZE = 50;
    static final int EXPORT_BATCH = 1000;

    private final AuditLog audit;
    private final Clock clock;

    AuditPageController(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** The filters as typed; {@code query()} turns them into an {@link AuditQuery} or explains what is wrong. */
    record Filters(String actor, String channel, String action, String target, String from, String to) {

        Filters {
            actor = trim(actor);
            channel = trim(channel).toLowerCase(Locale.ROOT);
            action = trim(action);
            target = trim(target);
            from = trim(from);
            to = trim(to);
        }

        boolean any() {
            return !(actor + channel + action + target + from + to).isEmpty();
        }

        /** Dates are whole UTC days; "to" includes its day. */
        AuditQuery query() {
            Map<String, String> errors = new HashMap<>();
            Channel wantedChannel = null;
            if (!channel.isEmpty()) {
                try {
                    wantedChannel = Channel.valueOf(channel.toUpperCase(Locale.ROOT));
                }
                catch (IllegalArgumentException ex) {
                    errors.put("channel", "Choose a channel from the list.");
                }
            }
            LocalDate since = date("from", from, errors);
            LocalDate until = date("to", to, errors);
            if (since != null && until != null && until.isBefore(since)) {
                errors.put("to", "The end date is before the start date.");
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequestException("Some filters are not valid.", errors);
            }
            return new AuditQuery(null, actor.isEmpty() ? null : actor, wantedChannel,
                    action.isEmpty() ? null : action, target.isEmpty() ? null : target,
                    since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    until == null ? null : until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        /** The filters as a query string, every value strictly encoded (a "+" in an address stays a "+"). */
        String queryString() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("actor", actor);
            values.put("channel", channel);
            values.put("action", action);
            values.put("target", target);
            values.put("from", from);
            values.put("to", to);
            values.values().removeIf(String::isEmpty);
            UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
            values.keySet().forEach(name -> uri.queryParam(name, "{" + name + "}"));
            String query = uri.encode().buildAndExpand(values).getQuery();
            return query == null ? "" : query;
        }

        private static LocalDate date(String field, String value, Map<String, String> errors) {
            if (value.isEmpty()) {
                return null;
            }
            try {
                return LocalDate.parse(value);
            }
            catch (DateTimeParseException ex) {
                errors.put(field, "Enter a date as year-month-day, such as 2025-01-31.");
                return null;
            }
        }

        private static String trim(String value) {
            return value == null ? "" : value.trim();
        }
    }

    /** One event as a row: {@code before} and {@code after} as indented JSON for the details disclosure. */
    record Row(Instant when, String actor, String channel, String action, String targetType, String targetLabel,
               String targetId, String before, String after) {

        static Row of(AuditEvent event) {
            return new Row(event.occurredAt(), event.actor(),
                    event.channel().name().toLowerCase(Locale.ROOT), event.action(), event.targetType(),
                    event.targetLabel(), event.targetId(),
                    event.before() == null ? null : event.before().toPrettyString(),
                    event.after() == null ? null : event.after().toPrettyString());
        }

        public boolean hasDetails() {
            return before != null || after != null;
        }
    }

    @GetMapping("/audit")
    String page(OrgContext org, @RequestParam(required = false) String actor,
                @RequestParam(required = false) String channel, @RequestParam(required = false) String action,
                @RequestParam(required = false) String target, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) Integer page,
                Model model, HttpServletRequest request, HttpServletResponse response) {
        Filters filters = new Filters(actor, channel, action, target, from, to);
        model.addAttribute("org", org);
        model.addAttribute("filters", filters);
        model.addAttribute("fieldErrors", Map.of());
        try {
            PageResult<AuditEvent> result = audit.find(org.organizationId(), filters.query(),
                    new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
            model.addAttribute("rows", result.items().stream().map(Row::of).toList());
            model.addAttribute("links", PageLinks.of(result, request));
        }
        catch (InvalidRequestException ex) {
            response.setStatus(ex.status().value());
            model.addAttribute("fieldErrors", ex.fieldErrors());
            model.addAttribute("rows", List.of());
            model.addAttribute("links", null);
        }
        String query = filters.queryString();
        model.addAttribute("csvHref", "/orgs/" + org.slug() + "/manage/audit.csv" + (query.isEmpty() ? "" : "?" + query));
        model.addAttribute("channels", List.of(Channel.values()).stream()
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        model.addAttribute("actions", audit.actions(org.organizationId()));
        return "audit/log";
    }

    @GetMapping("/audit.csv")
    void export(OrgContext org, @RequestParam(required = false) String actor,
                @RequestParam(required = false) String channel, @RequestParam(required = false) String action,
                @RequestParam(required = false) String target, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, HttpServletResponse response) throws IOException {
        AuditQuery query = new Filters(actor, channel, action, target, from, to).query();
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("audit-" + org.slug() + "-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + ".csv")
                .build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Writer out = response.getWriter();
        AuditCsv.writeHeader(out);
        AuditEvent last = null;
        while (true) {
            List<AuditEvent> batch = audit.findAfter(org.organizationId(), query, last, EXPORT_BATCH);
            for (AuditEvent event : batch) {
                AuditCsv.write(out, event);
            }
            if (batch.size() < EXPORT_BATCH) {
                break;
            }
            last = batch.get(batch.size() - 1);
        }
        out.flush();
    }
}
